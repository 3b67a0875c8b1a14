/** The incident as events carry it: its whole state after the change. */
export interface IncidentSnapshot {
  id: string;
  number: string;
  type: 'incident';
  title: string;
  description: string;
  requester: string;
  impact: 1 | 2 | 3;
  urgency: 1 | 2 | 3;
  priority: 'P1' | 'P2' | 'P3' | 'P4' | 'P5';
  state: string;
  openedAt: string;
  updatedAt: string;
  version: number;
}

export const incidentSnapshotSchema = {
  type: 'object',
  additionalProperties: true,
  required: [
    'id',
    'number',
    'type',
    'title',
    'description',
    'requester',
    'impact',
    'urgency',
    'priority',
    'state',
    'openedAt',
    'updatedAt',
    'version',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    number: { type: 'string', pattern: '^INC[0-9]{7}$' },
    type: { const: 'incident' },
    title: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    requester: { type: 'string', minLength: 1 },
    impact: { type: 'integer', minimum: 1, maximum: 3 },
    urgency: { type: 'integer', minimum: 1, maximum: 3 },
    priority: { enum: ['P1', 'P2', 'P3', 'P4', 'P5'] },
    state: { type: 'string' },
    openedAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    version: { type: 'integer', minimum: 1 },
  },
} as const;
