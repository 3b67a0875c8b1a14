/** Rows a service removes once they are older than a configured age. */
export interface RetentionRule {
  /** What is removed, as logs and the `rule` label of the metric name it: e.g. `inbox`. */
  name: string;
  /** The entity of the table, whose schema and name the service's data source knows. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entity: Function;
  /** The timestamp column whose age decides; rows where it is null (a job still running) are kept. */
  timeColumn: string;
  /** How long a row is kept after that time. */
  keepForSeconds: number;
}

export const SECONDS_PER_HOUR = 3600;
export const SECONDS_PER_DAY = 24 * SECONDS_PER_HOUR;
