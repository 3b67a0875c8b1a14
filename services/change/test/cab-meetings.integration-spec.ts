import { EventValidator, Topics } from '@itsm/contracts';
import { RecordsApi, RunningPlatform, eventsOf, eventually } from '@itsm/testing';

interface MeetingBody {
  id: string;
  version: number;
  active: boolean;
  [field: string]: unknown;
}

interface AgendaBody {
  meeting: { id: string; name: string; approverGroup: string };
  start: string;
  end: string;
  items: { position: number; changeId: string; number: string; overdue: boolean }[];
  decisions: { changeId: string; decision: string; comment: string | null; recordedBy: string }[];
}

interface ProblemBody {
  code?: string;
  errors?: { field: string; message: string }[];
}

const validator = new EventValidator();
const MINUTE = 60_000;
const DAY = 24 * 3600_000;

/** `2026-12-03T09:15` for an instant, read in UTC. */
function utcLocal(instant: Date): string {
  return instant.toISOString().slice(0, 16);
}

/** Recurring CAB meetings, their agendas and minutes, through the gateway, against real Kafka and PostgreSQL. */
describe('CAB meetings', () => {
  let platform: RunningPlatform;
  let manager: RecordsApi;
  let cab: RecordsApi;
  /** Today's meeting of a daily CAB, started an hour ago and lasting three. */
  let meetingStart: Date;
  let meeting: MeetingBody;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'change']);
    manager = await RecordsApi.as(platform.gatewayUrl, 'change_manager');
    cab = await RecordsApi.as(platform.gatewayUrl, 'cab_member');
    meetingStart = new Date(Math.floor((Date.now() - 60 * MINUTE) / MINUTE) * MINUTE);
    meeting = (
      await manager
        .call('post', '/api/v1/cab-meetings')
        .send({
          name: 'Daily CAB',
          recurrence: 'FREQ=DAILY',
          firstStart: utcLocal(new Date(meetingStart.getTime() - 2 * DAY)),
          timeZone: 'UTC',
          durationMinutes: 180,
          approverGroup: 'change-advisory-board',
          agendaLookAheadDays: 14,
        })
        .expect(201)
    ).body as MeetingBody;
  });

  afterAll(async () => {
    await platform?.stop();
  });

  /** A normal change awaiting the CAB's approval, planned to start in `days`. */
  async function awaitingApproval(title: string, days: number): Promise<string> {
    const created = await manager.create('changes', { title }).expect(201);
    const id = (created.body as { id: string }).id;
    const start = new Date(Date.now() + days * DAY);
    await manager
      .transition('changes', id, { to: 'assess', assignmentGroup: 'applications' })
      .expect(200);
    await manager
      .transition('changes', id, {
        to: 'authorize',
        plannedStart: start.toISOString(),
        plannedEnd: new Date(start.getTime() + 3600_000).toISOString(),
        implementationPlan: 'Rolling restart',
        backoutPlan: 'Roll back the image',
      })
      .expect(200);
    return id;
  }

  async function agenda(query = ''): Promise<AgendaBody> {
    return (await cab.call('get', `/api/v1/cab-meetings/${meeting.id}/agenda${query}`).expect(200))
      .body as AgendaBody;
  }

  function decide(api: RecordsApi, body: object) {
    return api.call('post', `/api/v1/cab-meetings/${meeting.id}/decisions`).send({
      meetingStart: meetingStart.toISOString(),
      ...body,
    });
  }

  it('lists what awaits the CAB within the look-ahead, soonest first, and records its decisions', async () => {
    const later = await awaitingApproval('Upgrade the payroll database', 7);
    const sooner = await awaitingApproval('Rotate the VPN certificates', 3);
    const beyond = await awaitingApproval('Migrate the data centre', 30);

    const before = await agenda();
    expect(before).toMatchObject({
      meeting: { id: meeting.id, name: 'Daily CAB', approverGroup: 'change-advisory-board' },
      start: meetingStart.toISOString(),
      end: new Date(meetingStart.getTime() + 180 * MINUTE).toISOString(),
      decisions: [],
    });
    const listed = before.items.map((item) => item.changeId);
    expect(listed).toEqual(expect.arrayContaining([sooner, later]));
    expect(listed.indexOf(sooner)).toBeLessThan(listed.indexOf(later));
    expect(listed).not.toContain(beyond);

    // Only a member of the meeting's group records its decisions; only what is on its agenda.
    const notMember = await decide(manager, { changeId: sooner, decision: 'approve' }).expect(403);
    expect((notMember.body as ProblemBody).code).toBe('APPROVER_NOT_ELIGIBLE');
    const notListed = await decide(cab, { changeId: beyond, decision: 'approve' }).expect(400);
    expect((notListed.body as ProblemBody).errors).toEqual([
      expect.objectContaining({ field: 'changeId' }),
    ]);

    const approved = await decide(cab, {
      changeId: sooner,
      decision: 'approve',
      comment: 'Routine, tested in staging',
    }).expect(200);
    expect(approved.body).toMatchObject({
      decision: { changeId: sooner, decision: 'approve', recordedBy: 'cab_member' },
      approvals: { approval: 'approved', rounds: [{ outcome: 'approved' }] },
    });
    expect((await manager.get('changes', sooner).expect(200)).body).toMatchObject({
      state: 'scheduled',
      approval: 'approved',
    });

    await decide(cab, { changeId: later, decision: 'reject' }).expect(400);
    await decide(cab, {
      changeId: later,
      decision: 'reject',
      comment: 'No tested backout for the schema change',
    }).expect(200);
    expect((await manager.get('changes', later).expect(200)).body).toMatchObject({
      state: 'new',
      approval: 'rejected',
    });

    // Decided items leave the agenda and make the minutes, in the order decided.
    const after = await agenda(`?start=${encodeURIComponent(meetingStart.toISOString())}`);
    expect(after.items.map((item) => item.changeId)).not.toEqual(expect.arrayContaining([sooner]));
    expect(after.items.map((item) => item.changeId)).not.toContain(later);
    expect(after.decisions).toMatchObject([
      { changeId: sooner, decision: 'approve', comment: 'Routine, tested in staging' },
      { changeId: later, decision: 'reject', recordedBy: 'cab_member' },
    ]);

    // Deciding again at the same meeting finds nothing pending.
    await decide(cab, { changeId: sooner, decision: 'approve' }).expect(400);

    const decided = await eventually(async () => {
      const events = await eventsOf(sooner, Topics.changeEvents);
      return events.find((event) => event.type === 'itsm.change.approval_decided.v1');
    });
    validator.assertValid(decided.type, decided.data);
    expect(decided.data).toMatchObject({
      decision: {
        approver: 'cab_member',
        onBehalfOf: { kind: 'group', name: 'change-advisory-board' },
        cabMeeting: { id: meeting.id, name: 'Daily CAB', start: meetingStart.toISOString() },
      },
    });
  });

  it('takes decisions only at a meeting of the definition that has started', async () => {
    const change = await awaitingApproval('Renew the TLS certificates', 2);
    const notAMeeting = await decide(cab, {
      changeId: change,
      decision: 'approve',
      meetingStart: new Date(meetingStart.getTime() + 5 * MINUTE).toISOString(),
    }).expect(400);
    expect((notAMeeting.body as ProblemBody).errors).toEqual([
      expect.objectContaining({ field: 'meetingStart' }),
    ]);
    const tomorrow = await decide(cab, {
      changeId: change,
      decision: 'approve',
      meetingStart: new Date(meetingStart.getTime() + DAY).toISOString(),
    }).expect(409);
    expect((tomorrow.body as ProblemBody).code).toBe('CAB_MEETING_NOT_STARTED');
    // Tomorrow's agenda already lists it.
    const next = await agenda(
      `?start=${encodeURIComponent(new Date(meetingStart.getTime() + DAY).toISOString())}`,
    );
    expect(next.items.map((item) => item.changeId)).toContain(change);
  });

  it('keeps a weekly meeting at its local time across a daylight saving time change', async () => {
    const created = await manager
      .call('post', '/api/v1/cab-meetings')
      .send({
        name: 'Weekly CAB Paris',
        recurrence: 'FREQ=WEEKLY;BYDAY=TU',
        firstStart: '2027-03-02T14:00',
        timeZone: 'Europe/Paris',
        durationMinutes: 60,
        approverGroup: 'change-advisory-board',
        agendaLookAheadDays: 7,
      })
      .expect(201);
    const id = (created.body as MeetingBody).id;
    const occurrences = await manager
      .call(
        'get',
        `/api/v1/cab-meetings/${id}/occurrences?from=2027-03-20T00:00:00Z&to=2027-04-07T00:00:00Z`,
      )
      .expect(200);
    expect(occurrences.body).toEqual({
      items: [
        {
          start: '2027-03-23T13:00:00.000Z',
          end: '2027-03-23T14:00:00.000Z',
          agendaUntil: '2027-03-30T13:00:00.000Z',
        },
        {
          start: '2027-03-30T12:00:00.000Z',
          end: '2027-03-30T13:00:00.000Z',
          agendaUntil: '2027-04-06T12:00:00.000Z',
        },
        {
          start: '2027-04-06T12:00:00.000Z',
          end: '2027-04-06T13:00:00.000Z',
          agendaUntil: '2027-04-13T12:00:00.000Z',
        },
      ],
    });
  });

  it('refuses a definition that cannot be held, naming the field, and creates nothing', async () => {
    const valid = {
      name: 'Refused CAB',
      recurrence: 'FREQ=WEEKLY;BYDAY=TH',
      firstStart: '2027-01-07T10:00',
      timeZone: 'Europe/London',
      durationMinutes: 60,
      approverGroup: 'change-advisory-board',
      agendaLookAheadDays: 7,
    };
    for (const [field, value] of [
      ['timeZone', 'Mars/Olympus'],
      ['firstStart', '2027-02-30T10:00'],
      ['recurrence', 'FREQ=HOURLY'],
      ['durationMinutes', 2],
      ['approverGroup', '   '],
    ] as const) {
      const refused = await manager
        .call('post', '/api/v1/cab-meetings')
        .send({ ...valid, [field]: value })
        .expect(400);
      expect((refused.body as ProblemBody).errors).toEqual([expect.objectContaining({ field })]);
    }
    const list = await manager.call('get', '/api/v1/cab-meetings?limit=500').expect(200);
    expect((list.body as { items: MeetingBody[] }).items.map((item) => item.name)).not.toContain(
      'Refused CAB',
    );
  });

  it('changes a definition with If-Match, and a retired one holds no meeting', async () => {
    const created = await manager
      .call('post', '/api/v1/cab-meetings')
      .send({
        name: 'Emergency CAB',
        recurrence: 'FREQ=DAILY',
        firstStart: '2027-01-04T08:30',
        timeZone: 'America/New_York',
        durationMinutes: 30,
        approverGroup: 'change-advisory-board',
        agendaLookAheadDays: 1,
      })
      .expect(201);
    const id = (created.body as MeetingBody).id;
    const etag = created.headers['etag'];
    const changed = await manager
      .call('patch', `/api/v1/cab-meetings/${id}`)
      .set('If-Match', etag)
      .send({ durationMinutes: 45 })
      .expect(200);
    expect(changed.body).toMatchObject({ durationMinutes: 45, version: 2 });
    await manager
      .call('patch', `/api/v1/cab-meetings/${id}`)
      .set('If-Match', etag)
      .send({ durationMinutes: 50 })
      .expect(412);

    const retired = await manager
      .call('delete', `/api/v1/cab-meetings/${id}`)
      .set('If-Match', changed.headers['etag'])
      .expect(200);
    expect(retired.body).toMatchObject({ active: false, retiredBy: 'change_manager' });
    const refused = await cab.call('get', `/api/v1/cab-meetings/${id}/agenda`).expect(409);
    expect((refused.body as ProblemBody).code).toBe('CAB_MEETING_RETIRED');

    const events = await eventually(async () => {
      const found = await eventsOf(id, Topics.changeEvents);
      return found.length >= 3 ? found : undefined;
    });
    for (const event of events) validator.assertValid(event.type, event.data);
    expect(events.map((event) => event.type)).toEqual([
      'itsm.cab_meeting.created.v1',
      'itsm.cab_meeting.updated.v1',
      'itsm.cab_meeting.retired.v1',
    ]);
    const history = await manager.call('get', `/api/v1/cab-meetings/${id}/history`).expect(200);
    expect((history.body as { items: { field: string }[] }).items.map((i) => i.field)).toEqual(
      expect.arrayContaining(['name', 'durationMinutes', 'active']),
    );
  });
});
