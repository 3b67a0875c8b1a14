import { useEffect, useState } from 'react';
import type { TimerStatus } from './sla-timer-status';

/** Filled badge colours with text of at least 4.5:1 (the theme's autoContrast picks it). */
export const TONE_COLORS: Record<TimerStatus['tone'], string> = {
  ok: 'teal.9',
  warning: 'yellow.4',
  breached: 'red.9',
  paused: 'gray.7',
  done: 'gray.7',
};

/** The clock, ticking every second while `running`. */
export function useNow(running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return now;
}
