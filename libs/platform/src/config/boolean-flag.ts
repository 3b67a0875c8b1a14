import { z } from 'zod';

/** `true|false|1|0` -> boolean, for flags in any service's environment schema. */
export const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');
