import { readFileSync } from 'node:fs';
import { renderChangeReport } from './report';
import { type ChangeBenchResults } from './results';

/** `node dist/bench/src/change/render.js bench/results/<run id>.json`: a run's tables again. */
const [file] = process.argv.slice(2);
if (!file) {
  console.error('usage: render.js <results json>');
  process.exit(2);
}
console.log(renderChangeReport(JSON.parse(readFileSync(file, 'utf8')) as ChangeBenchResults));
