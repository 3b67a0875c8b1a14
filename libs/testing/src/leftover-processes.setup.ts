import { killLeftoverProcesses } from './logged-process';

// A root-level hook runs after every describe block's own `afterAll`, so it only finds
// the processes a test file failed to stop.
afterAll(async () => {
  const leftovers = await killLeftoverProcesses();
  if (leftovers.length > 0)
    process.stderr.write(
      `killed processes this test file left running:\n  ${leftovers.join('\n  ')}\n`,
    );
});
