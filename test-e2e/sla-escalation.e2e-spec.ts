import request from 'supertest';
import { RunningPlatform, eventually, tokenFor } from '@itsm/testing';

/**
 * An SLA breach escalates the incident: slm fires `itsm.sla.breached.v1`, the incident
 * service raises the escalation level and writes a journal entry.
 */
describe('an SLA breach escalates the incident', () => {
  let platform: RunningPlatform;
  let agent: string;
  let manager: string;
  let slaId: string | undefined;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident', 'slm']);
    agent = await tokenFor(platform.gatewayUrl, 'agent');
    manager = await tokenFor(platform.gatewayUrl, 'service_level_manager');
  });

  afterAll(async () => {
    // Retired, so that no other suite's P1 incidents breach on it.
    if (slaId) {
      await request(platform.gatewayUrl)
        .patch(`/api/v1/slas/${slaId}`)
        .set('authorization', `Bearer ${manager}`)
        .set('If-Match', '"1"')
        .send({ active: false });
    }
    await platform?.stop();
  });

  it('a P1 incident past its 8-second resolution target is escalated, with a journal entry', async () => {
    const sla = await request(platform.gatewayUrl)
      .post('/api/v1/slas')
      .set('authorization', `Bearer ${manager}`)
      .send({
        name: 'e2e P1 resolution in 8 seconds',
        target: 'resolution',
        appliesTo: { recordType: 'incident', priorities: ['P1'] },
        duration: 'PT8S',
      })
      .expect(201);
    slaId = (sla.body as { id: string }).id;

    const created = await request(platform.gatewayUrl)
      .post('/api/v1/incidents')
      .set('authorization', `Bearer ${agent}`)
      .send({
        title: 'Payments are down',
        description: 'Every checkout fails',
        impact: 1,
        urgency: 1,
      })
      .expect(201);
    const incident = created.body as { id: string; priority: string; escalationLevel: number };
    expect(incident).toMatchObject({ priority: 'P1', escalationLevel: 0 });

    const breached = await eventually(
      async () => {
        const timers = await request(platform.gatewayUrl)
          .get('/api/v1/sla-timers')
          .query({ recordId: incident.id })
          .set('authorization', `Bearer ${agent}`)
          .expect(200);
        return (timers.body as { items: { slaId: string; state: string }[] }).items.find(
          (timer) => timer.slaId === slaId && timer.state === 'breached',
        );
      },
      { timeoutMs: 60_000, intervalMs: 500, description: 'the SLA timer to breach' },
    );
    expect(breached).toBeDefined();

    const escalated = await eventually(
      async () => {
        const response = await request(platform.gatewayUrl)
          .get(`/api/v1/incidents/${incident.id}`)
          .set('authorization', `Bearer ${agent}`)
          .expect(200);
        const body = response.body as { escalationLevel: number };
        return body.escalationLevel >= 1 ? body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, description: 'the incident to be escalated' },
    );
    expect(escalated.escalationLevel).toBeGreaterThanOrEqual(1);

    const journal = await request(platform.gatewayUrl)
      .get(`/api/v1/incidents/${incident.id}/journal`)
      .set('authorization', `Bearer ${agent}`)
      .expect(200);
    const entries = (journal.body as { items: { kind: string; text: string }[] }).items;
    expect(entries.some((entry) => /breach|SLA/i.test(entry.text))).toBe(true);
  });
});
