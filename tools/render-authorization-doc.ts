/** Writes docs/authorization.md from the permission table (`npm run docs:authorization`). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderAuthorizationDoc } from '@itsm/auth';

const target = join(__dirname, '..', '..', 'docs', 'authorization.md');
writeFileSync(target, renderAuthorizationDoc());
console.log(`wrote ${target}`);
