import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  EventTypes,
  EventValidator,
  Topics,
  fromKafkaRecord,
  toKafkaRecord,
  type IncidentSnapshot,
  type ItsmCloudEvent,
} from '@itsm/contracts';
import { cloudEvent, incidentSnapshot, readWholeTopic, testKafka, tokenFor } from '@itsm/testing';
import { type Producer } from 'kafkajs';

export interface ProblemBody {
  id: string;
  number: string;
  state: string;
  source: string;
  priority: string;
  incidentCount: number;
  candidateReason: string | null;
  [field: string]: unknown;
}

/** Problems through the gateway, as one seeded user. */
export class ProblemsApi {
  private constructor(
    readonly gatewayUrl: string,
    readonly username: string,
    private readonly token: string,
  ) {}

  static async as(gatewayUrl: string, username: string): Promise<ProblemsApi> {
    return new ProblemsApi(gatewayUrl, username, await tokenFor(gatewayUrl, username));
  }

  private call(method: 'get' | 'post' | 'patch' | 'delete', path: string): request.Test {
    return request(this.gatewayUrl)
      [method](`/api/v1/problems${path}`)
      .set('authorization', `Bearer ${this.token}`);
  }

  get(path = ''): request.Test {
    return this.call('get', path);
  }

  post(path: string, body: object): request.Test {
    return this.call('post', path).send(body);
  }

  patch(path: string, body: object, ifMatch?: string): request.Test {
    const test = this.call('patch', path);
    if (ifMatch !== undefined) test.set('if-match', ifMatch);
    return test.send(body);
  }

  delete(path: string): request.Test {
    return this.call('delete', path);
  }

  async create(body: object = {}): Promise<ProblemBody> {
    const response = await this.post('', {
      title: 'Payroll export deadlocks',
      impact: 2,
      urgency: 2,
      ...body,
    });
    if (response.status !== 201) {
      throw new Error(`create answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
    return response.body as ProblemBody;
  }

  transition(id: string, body: { to: string } & Record<string, unknown>): request.Test {
    return this.post(`/${id}/transitions`, body);
  }

  async read(id: string): Promise<ProblemBody> {
    return (await this.get(`/${id}`).expect(200)).body as ProblemBody;
  }
}

let incidentSequence = Math.floor(Math.random() * 9_000_000);

/** A valid incident snapshot with a number of its own. */
export function incident(fields: Partial<IncidentSnapshot> = {}): IncidentSnapshot {
  incidentSequence += 1;
  return incidentSnapshot({
    number: `INC${String(incidentSequence).padStart(7, '0')}`,
    title: 'VPN drops every hour',
    ...fields,
  });
}

/** An incident event as the incident service publishes it. */
export function incidentEvent(
  snapshot: IncidentSnapshot,
  type: string = EventTypes.incident.created,
): ItsmCloudEvent {
  return cloudEvent(type, '/itsm/incident', snapshot.id, {
    incident: snapshot,
    changedFields: type === EventTypes.incident.created ? ['title'] : ['state'],
    previous: {},
  });
}

export async function publishIncidents(
  producer: Producer,
  events: readonly ItsmCloudEvent[],
): Promise<void> {
  await producer.send({ topic: Topics.incidentEvents, messages: events.map(toKafkaRecord) });
}

const validator = new EventValidator();

/** The problem topic's events about one subject, each checked against the catalog. */
export async function problemEventsOf(
  subject: string,
): Promise<ItsmCloudEvent<Record<string, unknown>>[]> {
  const records = await readWholeTopic(testKafka(), Topics.problemEvents);
  const events = records
    .map(({ message }) => fromKafkaRecord(message) as ItsmCloudEvent<Record<string, unknown>>)
    .filter((event) => event.subject === subject);
  for (const event of events) {
    if (event.source !== '/itsm/problem') throw new Error(`${event.type} from ${event.source}`);
    validator.assertValid(event.type, event.data);
  }
  return events;
}

export function newId(): string {
  return randomUUID();
}
