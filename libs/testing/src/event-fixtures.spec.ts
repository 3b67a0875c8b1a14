import { randomUUID } from 'node:crypto';
import {
  EventValidator,
  Topics,
  assertFromTopicOwner,
  findEventDefinition,
  type ItsmCloudEvent,
} from '@itsm/contracts';
import {
  incidentCreatedEvent,
  problemCommunicationEvent,
  problemIncidentsLinkedEvent,
  problemIncidentsUnlinkedEvent,
  problemResolvedEvent,
} from './event-fixtures';

/** The fixtures stand for what the owning service publishes: a consumer must accept them as such. */
describe('the event fixtures', () => {
  const validator = new EventValidator();
  const problem = { id: randomUUID(), number: 'PRB0000042' };
  const incidents = [randomUUID(), randomUUID()];

  it.each<[string, ItsmCloudEvent]>([
    ['incident created', incidentCreatedEvent()],
    ['problem resolved (fix applied)', problemResolvedEvent(problem)],
    [
      'problem resolved (risk accepted)',
      problemResolvedEvent({ ...problem, resolutionCode: 'risk_accepted', fixNotes: null }),
    ],
    ['incidents linked', problemIncidentsLinkedEvent(problem, incidents)],
    ['incidents unlinked', problemIncidentsUnlinkedEvent(problem, incidents)],
    ['workaround communicated', problemCommunicationEvent('workaround', problem, 'Restart it')],
    ['fix communicated', problemCommunicationEvent('fix', problem, 'Patched in 4.2')],
  ])('%s: valid against the catalog, from the owner of its topic', (_name, event) => {
    expect(() => validator.assertValid(event.type, event.data)).not.toThrow();
    const topic = findEventDefinition(event.type)?.topic;
    expect(topic).toBeDefined();
    expect(() => assertFromTopicOwner(topic ?? '', event.source)).not.toThrow();
  });

  it('build problem events about the problem given, keyed by its id', () => {
    const linked = problemIncidentsLinkedEvent(problem, incidents);
    expect(linked.subject).toBe(problem.id);
    expect(linked.data).toMatchObject({
      problem: { ...problem, incidentCount: 2 },
      incidentIds: incidents,
    });
    const resolved = problemResolvedEvent({ ...problem, resolutionCode: 'risk_accepted' });
    expect(resolved.data.problem).toMatchObject({
      state: 'resolved',
      resolutionCode: 'risk_accepted',
    });
    expect(findEventDefinition(resolved.type)?.topic).toBe(Topics.problemEvents);
  });
});
