import { IANAZone } from 'luxon';
import { z } from 'zod';
import { readSettings } from '@itsm/platform';

/** The KPI engine's own variables (docs/configuration.md is rendered from them; docs/reporting.md). */
export const kpisEnvironment = z.object({
  REPORTING_TIME_ZONE: z
    .string()
    .refine((zone) => IANAZone.isValidZone(zone), 'must be an IANA time zone such as Europe/Paris')
    .default('UTC')
    .meta({
      description:
        'The time zone of the KPI daily rollups (docs/reporting.md, "How KPI queries are answered"): queries by day, week or month in this zone, over whole days, are read from them. Changing it recomputes the rollups.',
    }),
  REPORTING_KPI_ROLLUP_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(3_600_000)
    .default(5000)
    .meta({
      description:
        'Milliseconds between two rounds that bring the KPI daily rollups up to date with the changed fact rows (a query also does it for the days it reads).',
    }),
});

export type KpisConfig = z.infer<typeof kpisEnvironment>;
export const KPIS_CONFIG = Symbol('KPIS_CONFIG');

export function loadKpisConfig(source: NodeJS.ProcessEnv = process.env): KpisConfig {
  return readSettings(kpisEnvironment, source);
}
