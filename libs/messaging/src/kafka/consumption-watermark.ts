/** Offsets by `topic:partition`: where each partition ends, or where a consumer group reads next. */
export type PartitionOffsets = ReadonlyMap<string, bigint>;

/** The end offsets of a group's partitions as they stood at one instant. */
interface EndOffsetsSample {
  takenAt: number;
  ends: PartitionOffsets;
}

/**
 * The latest instant before which a consumer group has consumed everything appended to
 * its topics. Each look at Kafka adds a sample (the time, then the partitions' end offsets
 * read after it); once the group's committed offsets reach a sample's ends on every
 * partition, every record appended before the sample's time has been consumed. Samples
 * not reached yet are kept, so that a group working through a backlog moves the
 * watermark on stretch by stretch instead of only when it has caught up completely.
 */
export class ConsumptionWatermark {
  private reached = Number.NEGATIVE_INFINITY;
  private readonly pending: EndOffsetsSample[] = [];

  /** @param capacity samples kept while the group is behind; further ones are dropped until earlier ones are reached. */
  constructor(private readonly capacity = 64) {}

  /** The instant reached, `-Infinity` while none is known. */
  get instant(): number {
    return this.reached;
  }

  /** @param takenAt read before `ends`, so that every record appended before it lies below them. */
  addSample(takenAt: number, ends: PartitionOffsets): void {
    const latest = this.pending.at(-1);
    if (takenAt <= this.reached || (latest && takenAt <= latest.takenAt)) return;
    if (this.pending.length >= this.capacity) return;
    this.pending.push({ takenAt, ends });
  }

  /** Moves the watermark to the latest sample the group's committed offsets have reached. */
  advance(committed: PartitionOffsets): number {
    let reachedCount = 0;
    for (const [index, sample] of this.pending.entries()) {
      if (isReached(sample.ends, committed)) reachedCount = index + 1;
    }
    if (reachedCount > 0) {
      this.reached = this.pending[reachedCount - 1].takenAt;
      this.pending.splice(0, reachedCount);
    }
    return this.reached;
  }
}

function isReached(ends: PartitionOffsets, committed: PartitionOffsets): boolean {
  for (const [partition, end] of ends) {
    if ((committed.get(partition) ?? -1n) < end) return false;
  }
  return true;
}
