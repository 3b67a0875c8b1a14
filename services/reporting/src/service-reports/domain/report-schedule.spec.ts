import { RuleViolation } from '@itsm/domain';
import { scheduleSettingsOf, type RawScheduleSettings } from './report-schedule';

const SERVICE = '3f8f1c1e-8f0e-4d8e-9a55-2f1a6c1f1b11';

function faultOf(raw: RawScheduleSettings): string | undefined {
  try {
    scheduleSettingsOf(raw);
    return undefined;
  } catch (error) {
    return error instanceof RuleViolation ? error.field : 'not a rule violation';
  }
}

describe('schedule settings', () => {
  it('defaults to a PDF in UTC for nobody, enabled', () => {
    expect(scheduleSettingsOf({ serviceId: SERVICE, periodKind: 'weekly' })).toEqual({
      serviceId: SERVICE,
      periodKind: 'weekly',
      timeZone: 'UTC',
      format: 'pdf',
      recipients: [],
      enabled: true,
    });
  });

  it('merges a change into the current settings', () => {
    const current = scheduleSettingsOf({
      serviceId: SERVICE,
      periodKind: 'monthly',
      recipients: [{ kind: 'group', name: 'service-desk' }],
    });
    expect(scheduleSettingsOf({ enabled: false }, current)).toEqual({ ...current, enabled: false });
  });

  it.each<[RawScheduleSettings, string]>([
    [{ periodKind: 'monthly' }, 'serviceId'],
    [{ serviceId: 'payroll', periodKind: 'monthly' }, 'serviceId'],
    [{ serviceId: SERVICE, periodKind: 'daily' }, 'periodKind'],
    [{ serviceId: SERVICE, periodKind: 'monthly', timeZone: 'Mars/Olympus' }, 'timeZone'],
    [{ serviceId: SERVICE, periodKind: 'monthly', format: 'docx' }, 'format'],
    [{ serviceId: SERVICE, periodKind: 'monthly', recipients: 'alice' }, 'recipients'],
    [{ serviceId: SERVICE, periodKind: 'monthly', recipients: ['alice'] }, 'recipients[0]'],
    [
      { serviceId: SERVICE, periodKind: 'monthly', recipients: [{ kind: 'role', name: 'admin' }] },
      'recipients[0].kind',
    ],
    [
      { serviceId: SERVICE, periodKind: 'monthly', recipients: [{ kind: 'user', name: '' }] },
      'recipients[0].name',
    ],
    [
      {
        serviceId: SERVICE,
        periodKind: 'monthly',
        recipients: [{ kind: 'user', name: 'alice', email: 'a@example.com' }],
      },
      'recipients[0].email',
    ],
    [
      {
        serviceId: SERVICE,
        periodKind: 'monthly',
        recipients: [
          { kind: 'user', name: 'alice' },
          { kind: 'user', name: 'alice' },
        ],
      },
      'recipients[1]',
    ],
  ])('refuses %j, naming %s', (raw, field) => {
    expect(faultOf(raw)).toBe(field);
  });
});
