import request, { type Response } from 'supertest';
import { Topics, fromKafkaRecord, type ItsmCloudEvent } from '@itsm/contracts';
import { eventually } from './eventually';
import { tokenFor } from './gateway-client';
import { readWholeTopic, testKafka } from './kafka-probe';

/** The incident service's records. */
export type ServiceRecordKind = 'incidents' | 'requests';

/** The record collections that share the record pattern (create, read, PATCH, transitions, journal, history). */
export type RecordKind = ServiceRecordKind | 'changes';

/** Incidents, requests and changes through the gateway, as one seeded user. */
export class RecordsApi {
  private constructor(
    readonly gatewayUrl: string,
    readonly username: string,
    private readonly token: string,
  ) {}

  static async as(gatewayUrl: string, username: string): Promise<RecordsApi> {
    return new RecordsApi(gatewayUrl, username, await tokenFor(gatewayUrl, username));
  }

  get authorization(): string {
    return `Bearer ${this.token}`;
  }

  /** Any other path of the API (e.g. a record's sub-resource), with the caller's token. */
  call(method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string): request.Test {
    return request(this.gatewayUrl)[method](path).set('authorization', this.authorization);
  }

  create(kind: RecordKind, body: object, headers: Record<string, string> = {}): request.Test {
    return request(this.gatewayUrl)
      .post(`/api/v1/${kind}`)
      .set({ authorization: this.authorization, ...headers })
      .send(body);
  }

  get(kind: RecordKind, id: string): request.Test {
    return request(this.gatewayUrl)
      .get(`/api/v1/${kind}/${id}`)
      .set('authorization', this.authorization);
  }

  list(kind: RecordKind, query: Record<string, string | number | boolean> = {}): request.Test {
    return request(this.gatewayUrl)
      .get(`/api/v1/${kind}`)
      .query(query)
      .set('authorization', this.authorization);
  }

  /** A PATCH with the ETag of a fresh read, unless one is given. */
  async patch(kind: RecordKind, id: string, body: object, etag?: string): Promise<Response> {
    const ifMatch = etag ?? (await this.get(kind, id).expect(200)).headers.etag;
    return request(this.gatewayUrl)
      .patch(`/api/v1/${kind}/${id}`)
      .set({ authorization: this.authorization, 'if-match': ifMatch })
      .send(body);
  }

  transition(
    kind: RecordKind,
    id: string,
    body: { to: string } & Record<string, unknown>,
  ): request.Test {
    return request(this.gatewayUrl)
      .post(`/api/v1/${kind}/${id}/transitions`)
      .set('authorization', this.authorization)
      .send(body);
  }

  /** Takes a new incident to in progress, then resolves it, as an agent working it would. */
  async resolveIncident(
    id: string,
    resolution: { resolutionCode: string; resolutionNotes: string },
  ): Promise<void> {
    await this.transition('incidents', id, { to: 'in_progress' }).expect(200);
    await this.transition('incidents', id, { to: 'resolved', ...resolution }).expect(200);
  }

  addJournal(
    kind: RecordKind,
    id: string,
    entry: { kind: 'work_note' | 'comment'; text: string },
  ): request.Test {
    return request(this.gatewayUrl)
      .post(`/api/v1/${kind}/${id}/journal`)
      .set('authorization', this.authorization)
      .send(entry);
  }

  journal(kind: RecordKind, id: string): request.Test {
    return request(this.gatewayUrl)
      .get(`/api/v1/${kind}/${id}/journal`)
      .set('authorization', this.authorization);
  }

  history(kind: RecordKind, id: string): request.Test {
    return request(this.gatewayUrl)
      .get(`/api/v1/${kind}/${id}/history`)
      .query({ limit: 500 })
      .set('authorization', this.authorization);
  }

  /**
   * Waits until the incident service knows the directory's seeded groups (it learns them
   * from the gateway's group events), so that assignments validate.
   */
  async untilGroupsKnown(groups: readonly string[] = ['service-desk']): Promise<void> {
    for (const group of groups) {
      await eventually(
        async () => {
          const response = await this.create('incidents', {
            title: `Probe for ${group}`,
            description: 'waits for the directory copy',
            impact: 3,
            urgency: 3,
            assignmentGroup: group,
          });
          return response.status === 201 ? true : undefined;
        },
        { description: `the incident service to learn group ${group}` },
      );
    }
  }
}

/** A topic's events about one record (the incident topic unless told), in order, since the start of the run. */
export async function eventsOf(
  subject: string,
  topic: string = Topics.incidentEvents,
): Promise<ItsmCloudEvent<Record<string, unknown>>[]> {
  const records = await readWholeTopic(testKafka(), topic);
  return records
    .filter(({ message }) => message.key?.toString() === subject)
    .map(({ message }) => fromKafkaRecord(message) as ItsmCloudEvent<Record<string, unknown>>);
}
