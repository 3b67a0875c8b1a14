import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoggedProcess, killLeftoverProcesses } from './logged-process';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('processes a test file leaves running', () => {
  const directory = mkdtempSync(join(tmpdir(), 'itsm-logged-process-'));
  const idle = (name: string) =>
    LoggedProcess.spawn(
      process.execPath,
      ['-e', 'setInterval(() => undefined, 1000)'],
      { PATH: process.env.PATH ?? '' },
      join(directory, `${name}.log`),
    );

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('are killed and named; those already stopped are left out', async () => {
    const stopped = idle('stopped');
    const forgotten = idle('forgotten');
    await stopped.stop();

    const killed = await killLeftoverProcesses();

    expect(killed).toEqual([join(directory, 'forgotten.log')]);
    expect(forgotten.exitCode).toBeNull();
    expect(forgotten.pid).toEqual(expect.any(Number));
    expect(isAlive(forgotten.pid as number)).toBe(false);
    expect(await killLeftoverProcesses()).toEqual([]);
  });
});
