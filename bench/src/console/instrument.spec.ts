import { mainThreadBetween } from './instrument';

describe("the browser main thread's accounting", () => {
  const reading = (taskMs: number, scriptMs: number) => ({
    taskMs,
    scriptMs,
    layoutMs: 1,
    styleMs: 2,
  });

  it('is the difference between two readings', () => {
    expect(mainThreadBetween(reading(100, 40), reading(350.04, 140))).toEqual({
      taskMs: 250,
      scriptMs: 100,
      layoutMs: 0,
      styleMs: 0,
    });
  });

  it('is the later reading alone when the counters restarted (a new renderer)', () => {
    expect(mainThreadBetween(reading(900, 500), reading(300, 120))).toEqual(reading(300, 120));
  });
});
