import { readFileSync } from 'node:fs';
import { renderReport } from './report';
import { type BenchResults } from './results';

/** `node dist/bench/src/render.js bench/results/<run id>.json`: the tables of an earlier run. */
const [file] = process.argv.slice(2);
if (!file) {
  console.error('usage: render.js <results json>');
  process.exit(2);
}
console.log(renderReport(JSON.parse(readFileSync(file, 'utf8')) as BenchResults));
