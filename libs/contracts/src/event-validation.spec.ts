import { EVENT_CATALOG } from './event-catalog';
import { EventSchemaViolation, EventValidator, UnknownEventTypeError } from './event-validation';
import { INCIDENT_CREATED_V1 } from './events/incident/incident-events.v1';
import { ALL_DOMAIN_TOPICS } from './topics';

const validCreated = {
  incident: {
    id: '2b0c5f3e-6a55-4a3c-9a57-1d3b1f1e2a10',
    number: 'INC0001001',
    type: 'incident',
    title: 'Mail is down',
    description: '',
    requester: 'agent',
    source: 'portal',
    category: null,
    subcategory: null,
    catalogItem: null,
    businessServiceId: null,
    ciIds: [],
    impact: 1,
    urgency: 2,
    priority: 'P2',
    priorityOverrideReason: null,
    state: 'new',
    holdReason: null,
    awaitingChangeId: null,
    assignmentGroup: null,
    assignee: null,
    major: false,
    parentId: null,
    problemId: null,
    escalationLevel: 0,
    resolutionCode: null,
    resolutionNotes: null,
    openedAt: '2026-11-22T10:00:00.000Z',
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    reopenCount: 0,
    tags: [],
    externalRef: null,
    updatedAt: '2026-11-22T10:00:00.000Z',
    version: 1,
  },
  changedFields: ['title'],
  previous: {},
};

describe('event validation', () => {
  const validator = new EventValidator();

  it('compiles every schema of the catalog, each on a domain topic, each type named itsm.<record>.<what>.v<n>', () => {
    for (const definition of EVENT_CATALOG) {
      expect(validator.isKnown(definition.type)).toBe(true);
      expect(ALL_DOMAIN_TOPICS).toContain(definition.topic);
      expect(definition.type).toMatch(/^itsm\.[a-z_]+\.[a-z_]+\.v\d+$/);
    }
  });

  it('accepts data that matches the schema', () => {
    expect(() => validator.assertValid(INCIDENT_CREATED_V1, validCreated)).not.toThrow();
  });

  it('names every place where data breaks the schema', () => {
    const broken = {
      ...validCreated,
      incident: { ...validCreated.incident, number: 'X1', priority: 'P9' },
      extra: true,
    };
    try {
      validator.assertValid(INCIDENT_CREATED_V1, broken);
      throw new Error('expected a violation');
    } catch (error) {
      expect(error).toBeInstanceOf(EventSchemaViolation);
      const problems = (error as EventSchemaViolation).problems.join('\n');
      expect(problems).toContain('/incident/number');
      expect(problems).toContain('/incident/priority');
      expect(problems).toContain('additional properties');
    }
  });

  it('refuses an event type it does not know', () => {
    expect(() => validator.assertValid('itsm.nothing.happened.v1', {})).toThrow(
      UnknownEventTypeError,
    );
  });
});
