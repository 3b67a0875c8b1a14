import { type Kafka } from 'kafkajs';
import { LazyAdmin } from './lazy-admin';
import { describeError, type MessagingLogger } from '../logger';
import { ConsumptionWatermark } from './consumption-watermark';

/**
 * How far a consumer group has got through its topics, as an instant: every record
 * appended to them before it has been consumed and committed by the group, whichever of
 * its members (in any replica) consumed it. A process that acts on time (a timer that
 * breaches unless an event stops it first) waits for this instant to pass the moment it
 * acts on, so that an event already on Kafka but not yet applied is not overtaken.
 *
 * It reads the group's committed offsets, which kafkajs commits after each batch: an idle,
 * caught-up group has committed the end of every partition.
 */
export class ConsumerGroupWatermark {
  private readonly watermark = new ConsumptionWatermark();
  private readonly admin: LazyAdmin;
  private failing = false;

  constructor(
    kafka: Kafka,
    private readonly groupId: string,
    private readonly topics: readonly string[],
    private readonly logger: MessagingLogger,
  ) {
    this.admin = new LazyAdmin(kafka);
  }

  /**
   * Looks at Kafka once and returns the instant reached: the time of this call if the
   * group has caught up, an earlier one if it is behind. When Kafka cannot be asked, the
   * last instant known (the caller decides how long it waits).
   */
  async refresh(): Promise<number> {
    try {
      const admin = await this.admin.connected();
      const takenAt = Date.now();
      const ends = new Map<string, bigint>();
      const starts = new Map<string, bigint>();
      for (const topic of this.topics) {
        for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
          ends.set(`${topic}:${partition}`, BigInt(high));
          starts.set(`${topic}:${partition}`, BigInt(low));
        }
      }
      this.watermark.addSample(takenAt, ends);
      const committed = new Map<string, bigint>();
      const groupOffsets = await admin.fetchOffsets({
        groupId: this.groupId,
        topics: [...this.topics],
      });
      for (const { topic, partitions } of groupOffsets) {
        for (const { partition, offset } of partitions) {
          const key = `${topic}:${partition}`;
          // Never committed: nothing consumed yet (a group that starts at the end of a
          // partition counts as behind until its first commit, which errs on waiting).
          committed.set(key, offset === '-1' ? (starts.get(key) ?? 0n) : BigInt(offset));
        }
      }
      if (this.failing) this.logger.log(`can tell how far ${this.groupId} has consumed again`);
      this.failing = false;
      return this.watermark.advance(committed);
    } catch (error) {
      // Once per outage: the caller asks again every few milliseconds while it waits.
      if (!this.failing)
        this.logger.warn(
          `cannot tell how far ${this.groupId} has consumed: ${describeError(error).message}`,
        );
      this.failing = true;
      return this.watermark.instant;
    }
  }

  close(): Promise<void> {
    return this.admin.close();
  }
}
