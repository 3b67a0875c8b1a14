import {
  AlertPolicyError,
  incidentDraftFor,
  parsePriorityLevels,
  parseSeverityLevels,
} from './alert-policy';
import { capturedAlert, defaultPolicy } from './alertmanager-payload.fixture';

describe('alert policy', () => {
  describe('parsing the severity map', () => {
    it('reads <severity>=<impact>x<urgency> entries', () => {
      expect(parseSeverityLevels(' critical = 1x1, warning=2X3 ,,')).toEqual({
        critical: { impact: 1, urgency: 1 },
        warning: { impact: 2, urgency: 3 },
      });
    });

    it.each([
      ['critical', "'critical' is not <severity>=<impact>x<urgency>"],
      ['=1x1', "'=1x1' is not <severity>=<impact>x<urgency>"],
      ['critical=4x1', "severity 'critical': '4x1' is not <impact>x<urgency> with each 1..3"],
      ['critical=1x1,critical=2x2', "severity 'critical' is mapped twice"],
    ])('refuses %s', (text, message) => {
      expect(() => parseSeverityLevels(text)).toThrow(new AlertPolicyError(message));
    });

    it('keeps any severity name a plain key', () => {
      expect(Object.keys(parseSeverityLevels('__proto__=1x2'))).toEqual(['__proto__']);
    });

    it('refuses a level outside 1..3', () => {
      expect(() => parsePriorityLevels('0x2')).toThrow(AlertPolicyError);
    });
  });

  describe('the incident for an alert', () => {
    it('takes title, levels, group, tags and reference from the alert', () => {
      const draft = incidentDraftFor(capturedAlert(), defaultPolicy(), 'http://alertmanager:9093');
      expect(draft).toEqual({
        title: 'Disk 95% full on web01',
        description: expect.any(String) as string,
        impact: 1,
        urgency: 1,
        source: 'monitoring',
        assignmentGroup: 'network',
        tags: ['alertmanager', 'alertname:DiskFull', 'severity:critical'],
        externalRef: 'alertmanager:e5bad21c7d46e087',
      });
      expect(draft.description.split('\n\n')).toEqual([
        '/var is 95% full',
        'Labels:\n  alertname=DiskFull\n  instance=web01:9100\n  severity=critical\n  team=network',
        'Firing since: 2026-11-22T04:50:01.967245159Z',
        'Source: http://prometheus.example:9090/graph?g0.expr=disk_used',
        'Alertmanager: http://alertmanager:9093',
        'Fingerprint: e5bad21c7d46e087',
      ]);
    });

    it('maps each configured severity, and an unknown or missing one to the fallback', () => {
      const levelsOf = (labels: Record<string, string>) => {
        const { impact, urgency } = incidentDraftFor(capturedAlert({ labels }), defaultPolicy());
        return `${impact}x${urgency}`;
      };
      expect(levelsOf({ severity: 'critical' })).toBe('1x1');
      expect(levelsOf({ severity: 'error' })).toBe('2x2');
      expect(levelsOf({ severity: 'warning' })).toBe('2x3');
      expect(levelsOf({ severity: 'info' })).toBe('3x3');
      expect(levelsOf({ severity: 'page-me' })).toBe('3x3');
      expect(levelsOf({ severity: 'constructor' })).toBe('3x3');
      expect(levelsOf({})).toBe('3x3');
    });

    it('falls back to the alertname, then the fingerprint, for the title', () => {
      const titleOf = (alert: Parameters<typeof capturedAlert>[0]) =>
        incidentDraftFor(capturedAlert(alert), defaultPolicy()).title;
      expect(titleOf({ annotations: { summary: '  ' } })).toBe('DiskFull');
      expect(titleOf({ annotations: {}, labels: {} })).toBe('Alert e5bad21c7d46e087');
      expect(titleOf({ annotations: { summary: 'x'.repeat(500) } })).toHaveLength(200);
    });

    it('prefers assignment_group to team, and uses the default group when neither is set', () => {
      const groupOf = (labels: Record<string, string>, defaultAssignmentGroup: string | null) =>
        incidentDraftFor(capturedAlert({ labels }), defaultPolicy({ defaultAssignmentGroup }))
          .assignmentGroup;
      expect(groupOf({ team: 'network', assignment_group: 'noc' }, null)).toBe('noc');
      expect(groupOf({}, 'service-desk')).toBe('service-desk');
      expect(groupOf({}, null)).toBeNull();
    });

    it('leaves out what the alert does not have', () => {
      const draft = incidentDraftFor(
        capturedAlert({ labels: { alertname: 'Up' }, annotations: {}, generatorURL: '' }),
        defaultPolicy(),
      );
      expect(draft.tags).toEqual(['alertmanager', 'alertname:Up']);
      expect(draft.description).not.toMatch(/Source:|Alertmanager:/);
    });
  });
});
