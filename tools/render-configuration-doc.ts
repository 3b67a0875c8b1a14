/** Writes docs/configuration.md from the configuration schemas (`npm run docs:configuration`). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderConfigurationDoc } from './configuration-doc';

const target = join(__dirname, '..', '..', 'docs', 'configuration.md');
writeFileSync(target, renderConfigurationDoc());
console.log(`wrote ${target}`);
