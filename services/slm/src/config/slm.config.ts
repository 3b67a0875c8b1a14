import { Global, Module } from '@nestjs/common';
import { z } from 'zod';
import { ConfigurationError } from '@itsm/platform';

/** The slm service's own variables, beside the platform's (docs/configuration.md is rendered from them; docs/slm.md). */
export const slmEnvironment = z.object({
  SLA_SCHEDULER_ENABLED: z.stringbool().default(true).meta({
    description:
      "Whether this process runs the SLA timer engine's scheduler (every replica may; they share the work).",
  }),
  SLA_SCHEDULER_MAX_SLEEP_MS: z.coerce.number().int().min(10).max(60_000).default(1000).meta({
    description:
      'The longest the scheduler sleeps, in milliseconds, before looking for due timers again (it wakes earlier for the earliest one it knows).',
  }),
  SLA_SCHEDULER_MAX_EVENT_WAIT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(3_600_000)
    .default(120_000)
    .meta({
      description:
        'Milliseconds a due warning or breach waits for the incident and request events already on Kafka to be applied (one of them may stop or pause the timer) before it fires anyway, e.g. while Kafka cannot be asked; 0 fires without waiting.',
    }),
  SLA_SCHEDULER_BATCH_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(500)
    .meta({ description: 'Due timers claimed and fired per transaction.' }),
});

export type SlmConfig = z.infer<typeof slmEnvironment>;
export const SLM_CONFIG = Symbol('SLM_CONFIG');

export function loadSlmConfig(source: NodeJS.ProcessEnv = process.env): SlmConfig {
  const parsed = slmEnvironment.safeParse(source);
  if (!parsed.success) {
    throw new ConfigurationError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  return parsed.data;
}

@Global()
@Module({
  providers: [{ provide: SLM_CONFIG, useFactory: () => loadSlmConfig() }],
  exports: [SLM_CONFIG],
})
export class SlmConfigModule {}
