import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { RunningPlatform, eventually, tokenFor } from '@itsm/testing';

interface Incident {
  id: string;
  number: string;
  state: string;
  problemId: string | null;
  resolutionCode: string | null;
  version: number;
}

interface Problem {
  id: string;
  number: string;
  state: string;
  source: string;
  candidateReason: string | null;
  incidentCount: number;
}

interface JournalEntry {
  kind: string;
  text: string;
  author: string;
}

/**
 * Problem management across the real services, as a service desk and a problem manager
 * live it: incidents recurring on one CI open a candidate problem, the desk sees the known
 * error on a new incident and puts it on hold for the problem, the workaround reaches every
 * open incident, and the fix resolves those waiting for it, once.
 */
describe('problem management, from recurring incidents to the fix', () => {
  let platform: RunningPlatform;
  let agent: string;
  let problemManager: string;
  const ciId = randomUUID();

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident', 'problem']);
    agent = await tokenFor(platform.gatewayUrl, 'agent');
    problemManager = await tokenFor(platform.gatewayUrl, 'problem_manager');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const as = (token: string) => ({
    get: (path: string) =>
      request(platform.gatewayUrl).get(path).set('authorization', `Bearer ${token}`),
    post: (path: string, body: object) =>
      request(platform.gatewayUrl).post(path).set('authorization', `Bearer ${token}`).send(body),
  });

  async function openIncident(title: string): Promise<Incident> {
    const created = await as(agent)
      .post('/api/v1/incidents', {
        title,
        description: 'The nightly export to the ledger stops with ORA-01555',
        impact: 2,
        urgency: 2,
        ciIds: [ciId],
      })
      .expect(201);
    return created.body as Incident;
  }

  const incident = async (id: string) =>
    (await as(agent).get(`/api/v1/incidents/${id}`).expect(200)).body as Incident;

  const workNotes = async (id: string) =>
    (
      (await as(agent).get(`/api/v1/incidents/${id}/journal`).expect(200)).body as {
        items: JournalEntry[];
      }
    ).items.filter((entry) => entry.kind === 'work_note');

  it('opens one candidate for three incidents on a CI, links them and offers its known error', async () => {
    const incidents = [
      await openIncident('Ledger export failed on Monday'),
      await openIncident('Ledger export failed on Tuesday'),
      await openIncident('Ledger export failed on Wednesday'),
    ];

    const candidate = await eventually(
      async () => {
        const list = await as(problemManager)
          .get(`/api/v1/problems?source=auto&ciId=${ciId}`)
          .expect(200);
        const [found] = (list.body as { items: Problem[] }).items;
        return found && found.incidentCount === 3 ? found : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, description: 'the candidate problem' },
    );
    for (const { number } of incidents) expect(candidate.candidateReason).toContain(number);
    for (const { id } of incidents) {
      await eventually(
        async () => ((await incident(id)).problemId === candidate.id ? true : undefined),
        {
          timeoutMs: 30_000,
          intervalMs: 500,
          description: 'the incident to know its problem',
        },
      );
    }

    await as(problemManager)
      .post('/api/v1/known-errors', {
        problemId: candidate.id,
        symptom: 'Ledger export stops with ORA-01555 snapshot too old',
        rootCause: 'Undo retention shorter than the export',
        workaround: 'Rerun the export after 02:00',
        errorCode: 'ORA-01555',
        ciIds: [ciId],
      })
      .expect(201);

    const fourth = await openIncident('Ledger export failed on Thursday');
    const offered = await eventually(
      async () => {
        const answer = await as(agent).get(`/api/v1/incidents/${fourth.id}/known-errors`);
        const items = (answer.body as { items?: { workaround: string }[] }).items;
        return answer.status === 200 && items?.length ? items : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, description: 'the known error to be offered' },
    );
    expect(offered[0]).toMatchObject({ workaround: 'Rerun the export after 02:00' });

    // The fourth incident on the CI joins the open candidate rather than opening another.
    await eventually(
      async () => ((await incident(fourth.id)).problemId === candidate.id ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 500, description: 'the fourth incident to join' },
    );
    const candidates = await as(problemManager)
      .get(`/api/v1/problems?source=auto&ciId=${ciId}`)
      .expect(200);
    expect((candidates.body as { items: Problem[] }).items).toHaveLength(1);
  });

  it('communicates the workaround, and the fix resolves the incidents waiting for it, once', async () => {
    const [problem] = (
      (await as(problemManager).get(`/api/v1/problems?source=auto&ciId=${ciId}`).expect(200))
        .body as { items: Problem[] }
    ).items;
    if (!problem) throw new Error('no candidate problem');
    const linked = (
      (await as(problemManager).get(`/api/v1/problems/${problem.id}/incidents`).expect(200))
        .body as { items: { id: string }[] }
    ).items.map((item) => item.id);
    expect(linked).toHaveLength(4);
    const [waiting, working] = linked as [string, string];

    await as(agent)
      .post(`/api/v1/incidents/${waiting}/transitions`, { to: 'in_progress' })
      .expect(200);
    await as(agent)
      .post(`/api/v1/incidents/${waiting}/transitions`, {
        to: 'on_hold',
        holdReason: 'awaiting_problem',
      })
      .expect(200);

    await as(problemManager)
      .post(`/api/v1/problems/${problem.id}/communications`, {
        kind: 'workaround',
        text: 'Rerun the export after 02:00',
      })
      .expect(202);
    for (const id of linked) {
      await eventually(
        async () =>
          (await workNotes(id)).some((note) => note.text.includes('Rerun the export after 02:00'))
            ? true
            : undefined,
        { timeoutMs: 30_000, intervalMs: 500, description: 'the workaround on every incident' },
      );
    }

    const steps = [
      { to: 'assess', assignmentGroup: 'problem-management' },
      { to: 'root_cause_analysis' },
      { to: 'fix_in_progress', causeNotes: 'Undo retention shorter than the export' },
      { to: 'resolved', resolutionCode: 'fix_applied', fixNotes: 'Undo retention raised to 4 h' },
    ];
    for (const step of steps) {
      await as(problemManager).post(`/api/v1/problems/${problem.id}/transitions`, step).expect(200);
    }

    const resolved = await eventually(
      async () => {
        const current = await incident(waiting);
        return current.state === 'resolved' ? current : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, description: 'the waiting incident to be resolved' },
    );
    expect(resolved.resolutionCode).toBe('resolved_by_problem');
    await eventually(
      async () =>
        (await workNotes(working)).some((note) => note.text.includes('Verify that this incident'))
          ? true
          : undefined,
      { timeoutMs: 30_000, intervalMs: 500, description: 'a note on the incident still worked' },
    );
    expect((await incident(working)).state).not.toBe('resolved');
    const history = (
      (await as(agent).get(`/api/v1/incidents/${waiting}/history?limit=500`).expect(200)).body as {
        items: { field: string; newValue: unknown }[];
      }
    ).items.filter((entry) => entry.field === 'state' && entry.newValue === 'resolved');
    expect(history).toHaveLength(1);
  });
});
