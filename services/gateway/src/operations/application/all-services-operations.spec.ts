import { ProblemException } from '@itsm/platform';
import { AllServicesOperations } from './all-services-operations';
import {
  type OnBehalfOf,
  type OperationsCall,
  type OperationsSource,
  type SourceAnswer,
} from './operations-source';

const on: OnBehalfOf = {
  caller: { username: 'operator', roles: ['operator'], groups: [], kind: 'user' },
};
const json = (status: number, body: unknown): SourceAnswer => ({
  reached: true,
  status,
  body,
  contentType: status < 400 ? 'application/json' : 'application/problem+json',
});
const down: SourceAnswer = { reached: false, reason: 'The cmdb service is not reachable.' };

/** A service answering each kind of call as told, and keeping what it was asked. */
function source(
  service: string,
  answers: Partial<Record<OperationsCall['kind'], SourceAnswer>>,
): OperationsSource & { calls: OperationsCall[] } {
  const calls: OperationsCall[] = [];
  return {
    service,
    calls,
    send: (call: OperationsCall) => {
      calls.push(call);
      return Promise.resolve(answers[call.kind] ?? json(404, { status: 404 }));
    },
  };
}

const letter = (id: string, second: number) => ({
  id,
  deadLetteredAt: new Date(Date.UTC(2026, 11, 4, 0, 0, second)).toISOString(),
});

describe('the operations API of every service at once', () => {
  it('lists what every answering service has, naming those that did not answer or failed', async () => {
    const incident = source('incident', {
      'dead-letters': json(200, { items: [letter('7', 2)], next: null }),
    });
    const gateway = source('gateway', {
      'dead-letters': json(200, { items: [letter('3', 1)], next: null }),
    });
    const operations = new AllServicesOperations([
      gateway,
      incident,
      source('cmdb', { 'dead-letters': down }),
      source('slm', { 'dead-letters': json(500, { status: 500 }) }),
    ]);
    const listed = await operations.deadLetters({ status: 'open', limit: '5' }, on);
    expect(listed).toEqual({
      items: [
        { ...letter('3', 1), service: 'gateway', ref: 'gateway-3' },
        { ...letter('7', 2), service: 'incident', ref: 'incident-7' },
      ],
      next: null,
      unreachable: ['cmdb', 'slm'],
    });
    expect(incident.calls).toEqual([
      { kind: 'dead-letters', filter: { status: 'open', key: undefined, limit: 5 } },
    ]);
  });

  it('refuses a list query the services would refuse, before asking any', async () => {
    const incident = source('incident', {});
    const operations = new AllServicesOperations([incident]);
    await expect(operations.deadLetters({ status: 'lost', after: 'x' }, on)).rejects.toMatchObject({
      fieldErrors: [{ field: 'status' }, { field: 'after' }],
    });
    expect(incident.calls).toEqual([]);
  });

  it('sends a call by id to the one service that has it, and passes its answer on', async () => {
    const refusal = json(409, { type: 'https://itsm.dev/problems/dead-letter-settled' });
    const incident = source('incident', { 'dead-letter': json(200, {}), discard: refusal });
    const problem = source('problem', {});
    const operations = new AllServicesOperations([
      problem,
      incident,
      source('cmdb', { 'dead-letter': down }),
    ]);
    const call = { kind: 'discard', id: '42', body: { reason: 'r' } } as const;
    const owner = await operations.byId(call, { kind: 'dead-letter', id: '42' }, 'Dead letter', on);
    expect(owner).toEqual({
      service: 'incident',
      location: '/api/v1/operations/dead-letters/incident/42',
      answer: refusal,
    });
    // Only the owner is sent the discard.
    expect(problem.calls.map((one) => one.kind)).toEqual(['dead-letter']);
    expect(incident.calls.map((one) => one.kind)).toEqual(['dead-letter', 'discard']);
  });

  it('answers 404 when no service has the id, naming those that did not answer', async () => {
    const operations = new AllServicesOperations([
      source('gateway', {}),
      source('cmdb', { 'parked-event': down }),
    ]);
    const call = { kind: 'retry', id: '42' } as const;
    const refused = operations.byId(
      call,
      { kind: 'parked-event', id: '42' },
      'Parked outbox event',
      on,
    );
    await expect(refused).rejects.toBeInstanceOf(ProblemException);
    await expect(refused).rejects.toMatchObject({
      status: 404,
      extensions: { unreachable: ['cmdb'] },
    });
  });

  it('refuses an id two services have, sending the call to neither', async () => {
    const incident = source('incident', { 'dead-letter': json(200, {}) });
    const problem = source('problem', { 'dead-letter': json(200, {}) });
    const operations = new AllServicesOperations([incident, problem]);
    const call = { kind: 'replay', id: '42', body: {} } as const;
    await expect(
      operations.byId(call, { kind: 'dead-letter', id: '42' }, 'Dead letter', on),
    ).rejects.toMatchObject({
      status: 409,
      slug: 'operations-id-ambiguous',
      extensions: { services: ['incident', 'problem'] },
    });
    expect([...incident.calls, ...problem.calls].map((one) => one.kind)).toEqual([
      'dead-letter',
      'dead-letter',
    ]);
  });

  it('sends a call naming its service (a ref) to that service alone, even for an id others have', async () => {
    const incident = source('incident', { 'dead-letter': json(200, {}), replay: json(200, {}) });
    const problem = source('problem', { 'dead-letter': json(200, {}) });
    const operations = new AllServicesOperations([incident, problem]);
    const call = { kind: 'replay', id: '42', body: {} } as const;
    const owner = await operations.byId(
      call,
      { kind: 'dead-letter', id: '42' },
      'Dead letter',
      on,
      'incident',
    );
    expect(owner.service).toBe('incident');
    expect(incident.calls.map((one) => one.kind)).toEqual(['dead-letter', 'replay']);
    expect(problem.calls).toEqual([]);
  });

  it('answers 503 when the owner does not answer the call itself', async () => {
    const incident = source('incident', { 'parked-event': json(200, {}), retry: down });
    const operations = new AllServicesOperations([incident]);
    await expect(
      operations.byId(
        { kind: 'retry', id: '42' },
        { kind: 'parked-event', id: '42' },
        'Parked outbox event',
        on,
      ),
    ).rejects.toMatchObject({ status: 503 });
  });
});
