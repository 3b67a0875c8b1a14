import { ConfigurationError } from '@itsm/platform';
import { defaultPolicy } from './domain/alertmanager-payload.fixture';
import { loadAlertPolicy } from './alerting.config';

describe('the Alertmanager webhook configuration', () => {
  it('has a default for every variable', () => {
    expect(loadAlertPolicy({})).toEqual(defaultPolicy());
  });

  it('reads every variable', () => {
    expect(
      loadAlertPolicy({
        ALERTMANAGER_SEVERITY_LABEL: 'level',
        ALERTMANAGER_SEVERITY_PRIORITIES: 'page=1x1,ticket=3x2',
        ALERTMANAGER_FALLBACK_PRIORITY: '2x2',
        ALERTMANAGER_ASSIGNMENT_GROUP_LABELS: 'owner',
        ALERTMANAGER_DEFAULT_ASSIGNMENT_GROUP: 'service-desk',
        ALERTMANAGER_TAG_LABELS: 'alertname,cluster',
        ALERTMANAGER_RESOLVE_ON_RESOLVED: 'true',
      }),
    ).toEqual({
      severityLabel: 'level',
      severityLevels: { page: { impact: 1, urgency: 1 }, ticket: { impact: 3, urgency: 2 } },
      fallbackLevels: { impact: 2, urgency: 2 },
      assignmentGroupLabels: ['owner'],
      defaultAssignmentGroup: 'service-desk',
      tagLabels: ['alertname', 'cluster'],
      resolveOnResolved: true,
    });
  });

  it('lists every problem at once, by variable', () => {
    let error: unknown;
    try {
      loadAlertPolicy({
        ALERTMANAGER_SEVERITY_PRIORITIES: 'critical=1x9',
        ALERTMANAGER_FALLBACK_PRIORITY: 'high',
        ALERTMANAGER_RESOLVE_ON_RESOLVED: 'yes',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).problems).toEqual([
      "ALERTMANAGER_SEVERITY_PRIORITIES: severity 'critical': '1x9' is not <impact>x<urgency> with each 1..3",
      "ALERTMANAGER_FALLBACK_PRIORITY: 'high' is not <impact>x<urgency> with each 1..3",
      expect.stringMatching(/^ALERTMANAGER_RESOLVE_ON_RESOLVED: /) as string,
    ]);
  });
});
