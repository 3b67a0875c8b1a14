import { table } from '../report';
import { aggregate, categoryRows, readProfile } from './categories';

/**
 * `node dist/bench/src/profile/summarise.js <file.cpuprofile>... [--requests N] [--packages]`:
 * prints where each profile's main-thread CPU went, by category of the request path (see
 * categories.ts), with ms per request when `--requests` gives the count the profile covered,
 * and with `--packages` the self time by package or file as well.
 */
function main(argv: string[]): number {
  const files: string[] = [];
  let requests: number | undefined;
  let packages = false;
  for (let i = 0; i < argv.length; i += 1) {
    const argument = argv[i] ?? '';
    if (argument === '--requests') requests = Number(argv[(i += 1)]);
    else if (argument === '--packages') packages = true;
    else files.push(argument);
  }
  if (files.length === 0 || (requests !== undefined && !(requests > 0))) {
    console.error(
      'usage: node dist/bench/src/profile/summarise.js <file.cpuprofile>... [--requests N] [--packages]',
    );
    return 2;
  }
  for (const file of files) {
    const totals = aggregate(readProfile(file));
    const headers = ['category', 'self ms', 'share', ...(requests ? ['ms/request'] : [])];
    console.log(
      `${file}: ${(totals.busyUs / 1000).toFixed(0)} ms busy, ${(totals.idleUs / 1000).toFixed(0)} ms idle`,
    );
    console.log(table(headers, categoryRows(totals, requests)));
    if (packages) {
      console.log('');
      console.log(
        table(
          ['package or file', 'self ms', 'share', ...(requests ? ['ms/request'] : [])],
          categoryRows(totals, requests, 25, totals.byPackage),
        ),
      );
    }
    console.log('');
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
