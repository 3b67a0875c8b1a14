import { openChange } from '../../changes/domain/change';
import { linkIncidents, linkProblems, unlinkIncident, unlinkProblem } from './change-links';

const A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

const change = () =>
  openChange(
    { title: 'Patch', model: 'normal', requestedBy: 'x' },
    { id: 'c', sequence: 1 },
    new Date(),
  );

describe('change links', () => {
  it('links incidents one way only, moving one from fixed to caused', () => {
    const fixes = linkIncidents(change(), [A, B, A], 'fixes');
    expect(fixes.incidentIds).toEqual([A, B]);
    const caused = linkIncidents(fixes, [B.toUpperCase()], 'caused');
    expect(caused).toMatchObject({ incidentIds: [A], causedIncidentIds: [B] });
  });

  it('unlinks what is linked, and says when nothing is', () => {
    const linked = linkIncidents(change(), [A], 'caused');
    expect(unlinkIncident(linked, A)).toMatchObject({ incidentIds: [], causedIncidentIds: [] });
    expect(unlinkIncident(linked, B)).toBeNull();
    const withProblem = linkProblems(change(), [A]);
    expect(withProblem.problemIds).toEqual([A]);
    expect(unlinkProblem(withProblem, A)?.problemIds).toEqual([]);
    expect(unlinkProblem(withProblem, B)).toBeNull();
  });

  it('needs at least one id', () => {
    expect(() => linkIncidents(change(), [], 'fixes')).toThrow(
      expect.objectContaining({ field: 'incidentIds' }) as Error,
    );
    expect(() => linkProblems(change(), [])).toThrow(
      expect.objectContaining({ field: 'problemIds' }) as Error,
    );
  });
});
