import { openChange, type Change } from '../../changes/domain/change';
import { decideGate } from './gate';
import { stepsFor } from './deployment';

const NOW = new Date('2026-12-10T23:00:00Z');

function change(fields: Partial<Change> = {}): Change {
  return {
    ...openChange(
      { title: 'Deploy payments 4.2', model: 'normal', requestedBy: 'pipeline' },
      { id: '00000000-0000-4000-8000-000000000009', sequence: 9 },
      NOW,
    ),
    plannedStart: new Date('2026-12-10T22:00:00Z'),
    plannedEnd: new Date('2026-12-11T01:00:00Z'),
    ...fields,
  };
}

describe('the pipeline gate', () => {
  it('awaits approval, naming what is missing', () => {
    const answer = decideGate(change({ state: 'authorize', approval: 'requested' }), {
      now: NOW,
      obstacles: [],
      pendingApproval: '1 more approval from change-advisory-board',
    });
    expect(answer).toEqual({
      decision: 'awaiting',
      reasons: ['CHG0000009 awaits approval: 1 more approval from change-advisory-board.'],
    });
  });

  it('allows an authorised change inside its window, and awaits the window otherwise', () => {
    const scheduled = change({ state: 'scheduled', approval: 'approved' });
    expect(decideGate(scheduled, { now: NOW, obstacles: [] }).decision).toBe('allowed');
    const early = decideGate(scheduled, { now: new Date('2026-12-10T21:00:00Z'), obstacles: [] });
    expect(early).toEqual({
      decision: 'awaiting',
      reasons: ['The planned window opens at 2026-12-10T22:00:00.000Z.'],
    });
    const late = decideGate(scheduled, { now: new Date('2026-12-11T02:00:00Z'), obstacles: [] });
    expect(late.decision).toBe('prevented');
  });

  it('prevents a deployment in a blackout, a freeze, a rejection or after the end', () => {
    const scheduled = change({ state: 'scheduled', approval: 'approved' });
    const blackout = decideGate(scheduled, {
      now: NOW,
      obstacles: [{ kind: 'blackout', message: 'Inside blackout "Year-end close".' }],
    });
    expect(blackout).toEqual({
      decision: 'prevented',
      reasons: ['Inside blackout "Year-end close".'],
    });
    expect(
      decideGate(change({ state: 'new', approval: 'rejected' }), { now: NOW, obstacles: [] })
        .decision,
    ).toBe('prevented');
    expect(
      decideGate(
        change({ state: 'scheduled', onHold: true, holdReason: 'Freeze "Black Friday"' }),
        {
          now: NOW,
          obstacles: [],
        },
      ).reasons,
    ).toEqual(['CHG0000009 is on hold: Freeze "Black Friday".']);
    expect(decideGate(change({ state: 'closed' }), { now: NOW, obstacles: [] }).decision).toBe(
      'prevented',
    );
  });

  it('keeps a change being implemented allowed even after its window began', () => {
    const implementing = change({ state: 'implement', approval: 'approved', actualStart: NOW });
    expect(
      decideGate(implementing, { now: new Date('2026-12-11T00:30:00Z'), obstacles: [] }).decision,
    ).toBe('allowed');
  });
});

describe('deployment reports', () => {
  it('start a scheduled change once, and finish it through review to closed when successful', () => {
    const scheduled = change({ state: 'scheduled', approval: 'approved' });
    expect(stepsFor(scheduled, { status: 'started', at: NOW }, NOW)).toEqual([
      { to: 'implement', actualStart: NOW },
    ]);
    expect(stepsFor({ ...scheduled, state: 'implement' }, { status: 'started' }, NOW)).toEqual([]);
    expect(
      stepsFor(
        { ...scheduled, state: 'implement' },
        { status: 'finished', outcome: 'successful' },
        NOW,
      ),
    ).toEqual([{ to: 'review', closeCode: 'successful', actualEnd: NOW }, { to: 'closed' }]);
  });

  it('leave an unsuccessful change in review for its post-implementation review', () => {
    const implementing = change({ state: 'implement', approval: 'approved' });
    expect(
      stepsFor(
        implementing,
        { status: 'finished', outcome: 'backed_out', notes: 'Health checks failed' },
        NOW,
      ),
    ).toEqual([
      { to: 'review', closeCode: 'backed_out', actualEnd: NOW, closeNotes: 'Health checks failed' },
    ]);
  });

  it('need an outcome to finish, and refuse a different outcome once finished', () => {
    const implementing = change({ state: 'implement' });
    expect(() => stepsFor(implementing, { status: 'finished' }, NOW)).toThrow(
      expect.objectContaining({ field: 'outcome' }) as Error,
    );
    expect(
      stepsFor(
        change({ state: 'review', closeCode: 'successful' }),
        { status: 'finished', outcome: 'successful' },
        NOW,
      ),
    ).toEqual([{ to: 'closed' }]);
    const closed = change({ state: 'closed', closeCode: 'successful' });
    expect(stepsFor(closed, { status: 'finished', outcome: 'successful' }, NOW)).toEqual([]);
    expect(() => stepsFor(closed, { status: 'finished', outcome: 'unsuccessful' }, NOW)).toThrow(
      /finished already/,
    );
    expect(() => stepsFor(change({ state: 'authorize' }), { status: 'started' }, NOW)).toThrow(
      /starts a scheduled change/,
    );
  });
});
