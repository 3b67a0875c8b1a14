import { readFileSync } from 'node:fs';
import { renderIncidentReport } from './report';
import { type IncidentBenchResults } from './results';

/** `node dist/bench/src/incident/render.js bench/results/<run id>.json`: a run's tables again. */
const [file] = process.argv.slice(2);
if (!file) {
  console.error('usage: render.js <results json>');
  process.exit(2);
}
console.log(renderIncidentReport(JSON.parse(readFileSync(file, 'utf8')) as IncidentBenchResults));
