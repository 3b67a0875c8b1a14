import { readFileSync } from 'node:fs';
import { renderProblemReport } from './report';
import { type ProblemBenchResults } from './results';

/** `node dist/bench/src/problem/render.js bench/results/<run id>.json`: a run's tables again. */
const [file] = process.argv.slice(2);
if (!file) {
  console.error('usage: render.js <results json>');
  process.exit(2);
}
console.log(renderProblemReport(JSON.parse(readFileSync(file, 'utf8')) as ProblemBenchResults));
