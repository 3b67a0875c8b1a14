import { type Kafka } from 'kafkajs';
import { LazyAdmin } from './lazy-admin';

/** How many records of one partition the consumer group has not consumed (committed) yet. */
export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
}

export interface PartitionPosition {
  /** The partition's end: the offset its next record gets. */
  high: string;
  /** The partition's first offset still kept. */
  low: string;
  /** The group's committed offset: the next record it reads; `-1` when it never committed. */
  committed: string | undefined;
}

/**
 * The records between the group's committed offset and the partition's end. A group that
 * never committed (`-1`) has consumed nothing still kept, so its lag is what the partition
 * holds; a committed offset below what retention kept counts from the first kept record.
 */
export function lagOf({ high, low, committed }: PartitionPosition): number {
  const end = BigInt(high);
  const start = BigInt(low);
  let position = committed === undefined || committed === '-1' ? start : BigInt(committed);
  if (position < start) position = start;
  const lag = end - position;
  return lag > 0n ? Number(lag) : 0;
}

/**
 * Reads how far a consumer group trails its topics, partition by partition, from Kafka's
 * own figures (the topics' ends and the group's committed offsets), the way a Kafka lag
 * exporter does: every replica of the service reads the same numbers, whichever of them
 * holds a partition, and a stuck consumer shows as a lag that grows.
 */
export class ConsumerGroupLag {
  private readonly admin: LazyAdmin;

  constructor(
    kafka: Kafka,
    private readonly groupId: string,
  ) {
    this.admin = new LazyAdmin(kafka);
  }

  async read(topics: readonly string[], timeoutMs: number): Promise<PartitionLag[]> {
    if (topics.length === 0) return [];
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Kafka did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      timer.unref();
    });
    try {
      return await Promise.race([this.readOnce(topics), deadline]);
    } catch (error) {
      // A fresh connection for the next reading: this one may be the broken part.
      await this.close().catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    return this.admin.close();
  }

  private async readOnce(topics: readonly string[]): Promise<PartitionLag[]> {
    const admin = await this.admin.connected();
    const groupOffsets = await admin.fetchOffsets({ groupId: this.groupId, topics: [...topics] });
    const committed = new Map<string, string>();
    for (const { topic, partitions } of groupOffsets)
      for (const { partition, offset } of partitions)
        committed.set(`${topic}:${partition}`, offset);
    const lags: PartitionLag[] = [];
    for (const topic of topics) {
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
        const lag = lagOf({ high, low, committed: committed.get(`${topic}:${partition}`) });
        lags.push({ topic, partition, lag });
      }
    }
    return lags;
  }
}
