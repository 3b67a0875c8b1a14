import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { bearerToken, call, type Answer } from './http';

/** A write the platform acknowledged (2xx): the record and the version it answered with. */
export interface AcknowledgedWrite {
  id: string;
  version: number;
  kind: 'create' | 'update' | 'transition';
}

interface RecordView {
  id: string;
  version: number;
  state: string;
}

/** Answers after which the write may or may not have happened: asked again, never guessed. */
const AMBIGUOUS = new Set([500, 502, 503, 504]);

/** The first request with this Idempotency-Key is still being answered (its replay must wait). */
function isInProgress(answer: Answer): boolean {
  const type = (answer.body as { type?: unknown } | undefined)?.type;
  return answer.status === 409 && typeof type === 'string' && type.endsWith('/request-in-progress');
}

/**
 * A steady stream of incident writes through the gateway from a few workers, each walking
 * its own incidents through create, updates (If-Match) and transitions (If-Match). Only 2xx
 * answers count as acknowledged. A write whose answer never came (network error, 5xx) is
 * sent again unchanged: a create with the same Idempotency-Key, a change with the same
 * If-Match, so a write that did happen is answered as a replay or a 412, never applied twice.
 */
export class IncidentLoad {
  readonly acknowledged: AcknowledgedWrite[] = [];
  /** Writes given up on after their retries: they may or may not exist, both fine. */
  unacknowledged = 0;
  private running = false;
  private workers: Promise<void>[] = [];
  private token = '';

  constructor(
    private readonly gatewayUrl: string,
    private readonly workerCount: number,
    /** Changes per incident after its create, before the worker opens the next one. */
    private readonly changesPerIncident = 5,
    private readonly pauseMs = 50,
  ) {}

  async start(): Promise<void> {
    this.token = await bearerToken(this.gatewayUrl, 'agent');
    this.running = true;
    this.workers = Array.from({ length: this.workerCount }, (_, worker) => this.work(worker));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  private async work(worker: number): Promise<void> {
    for (let opened = 0; this.running; opened += 1) {
      let record = await this.create(worker);
      if (!record) await sleep(this.pauseMs);
      // Every fourth incident stays open, so its SLA timer comes due and breaches during the run.
      const resolve = opened % 4 !== 3;
      for (let step = 0; record && step < this.changesPerIncident && this.running; step += 1) {
        record = await this.change(record, step, resolve);
        await sleep(this.pauseMs);
      }
    }
  }

  private async create(worker: number): Promise<RecordView | undefined> {
    const key = randomUUID();
    const answer = await this.retrying(() =>
      this.send('/api/v1/incidents', 'POST', {
        headers: { 'idempotency-key': key },
        body: {
          title: `Fault load ${worker}-${key.slice(0, 8)}`,
          description: 'written by the fault-injection suite',
          impact: 2,
          urgency: 2,
        },
      }),
    );
    if (answer?.status !== 201) {
      this.unacknowledged += 1;
      return undefined;
    }
    return this.acknowledge(answer, 'create');
  }

  private async change(
    record: RecordView,
    step: number,
    resolve: boolean,
  ): Promise<RecordView | undefined> {
    const ifMatch = { 'if-match': `"${record.version}"` };
    const transition = (body: object): Promise<Answer | undefined> =>
      this.retrying(() =>
        this.send(`/api/v1/incidents/${record.id}/transitions`, 'POST', { headers: ifMatch, body }),
      );
    let answer: Answer | undefined;
    let kind: AcknowledgedWrite['kind'] = 'transition';
    if (record.state === 'new' && step > 0)
      answer = await transition({ to: 'in_progress', assignmentGroup: 'service-desk' });
    else if (resolve && record.state === 'in_progress' && step >= this.changesPerIncident - 1)
      answer = await transition({
        to: 'resolved',
        resolutionCode: 'solved_permanently',
        resolutionNotes: 'fault suite',
      });
    else if (record.state === 'new' || record.state === 'in_progress') {
      kind = 'update';
      answer = await this.retrying(() =>
        this.send(`/api/v1/incidents/${record.id}`, 'PATCH', {
          headers: ifMatch,
          body: { description: `change ${step} at ${new Date().toISOString()}` },
        }),
      );
    } else return undefined;
    if (answer?.status === 200) return this.acknowledge(answer, kind);
    // Not acknowledged: it may have happened (a 412 on the retry says it did). Read where the record is.
    this.unacknowledged += 1;
    const current = await this.retrying(() =>
      this.send(`/api/v1/incidents/${record.id}`, 'GET', {}),
    );
    return current?.status === 200 ? (current.body as RecordView) : undefined;
  }

  private acknowledge(answer: Answer, kind: AcknowledgedWrite['kind']): RecordView {
    const view = answer.body as RecordView;
    this.acknowledged.push({ id: view.id, version: view.version, kind });
    return view;
  }

  private send(
    path: string,
    method: string,
    { headers = {}, body }: { headers?: Record<string, string>; body?: unknown },
  ): Promise<Answer> {
    return call(
      `${this.gatewayUrl}${path}`,
      { method, headers: { authorization: `Bearer ${this.token}`, ...headers }, body },
      30_000,
    );
  }

  /** Sends until an answer that is not ambiguous comes, for up to a minute (a service restarting, PostgreSQL restarting). */
  private async retrying(send: () => Promise<Answer>): Promise<Answer | undefined> {
    const deadline = Date.now() + 60_000;
    let last: Answer | undefined;
    while (Date.now() < deadline) {
      try {
        last = await send();
        // A restarted gateway may sign with a new key: a fresh token, and the same request again.
        if (last.status === 401) this.token = await bearerToken(this.gatewayUrl, 'agent');
        // Refused before it was applied: wait as told, and send it again.
        else if (last.status === 429) await sleep(1000);
        else if (!AMBIGUOUS.has(last.status) && !isInProgress(last)) return last;
      } catch {
        last = undefined; // no answer at all: connection refused, reset, or our deadline
      }
      await sleep(500);
    }
    return last;
  }
}
