import { assessConditions, explainPredicate, type ConditionContext } from './risk-conditions';
import type { BlastRadius, ChangeRiskFacts } from './risk-facts';
import type { RiskCondition, RiskPredicate } from './risk-policy';

const NOW = new Date('2026-03-02T09:00:00Z');
const DAY = 86_400_000;

function context(
  facts: Partial<ChangeRiskFacts> = {},
  blastRadius: BlastRadius | null = null,
): ConditionContext {
  return {
    facts: {
      model: 'normal',
      category: null,
      plannedStart: new Date(NOW.getTime() + 10 * DAY),
      ciIds: ['ci-1'],
      outsideMaintenanceWindow: false,
      ...facts,
    },
    blastRadius,
    now: NOW,
  };
}

function reached(...criticalities: (number | null)[]): BlastRadius {
  return {
    status: 'known',
    businessServices: criticalities.map((criticality, index) => ({
      id: `svc-${index}`,
      name: `Service ${index}`,
      criticality,
    })),
    reachedCiCount: 10,
    truncated: false,
  };
}

describe('risk predicates', () => {
  it('test the model and the category', () => {
    const emergency: RiskPredicate = { kind: 'model', in: ['emergency'] };
    expect(explainPredicate(emergency, context({ model: 'emergency' }))).toBe(
      'it is an emergency change',
    );
    expect(explainPredicate(emergency, context())).toBeNull();
    const database: RiskPredicate = { kind: 'category', in: ['database', 'network'] };
    expect(explainPredicate(database, context({ category: 'database' }))).toBe(
      'its category is "database"',
    );
    expect(explainPredicate(database, context({ category: 'hardware' }))).toBeNull();
    expect(explainPredicate(database, context({ category: null }))).toBeNull();
  });

  it('measure the lead time from the assessment time to the planned start', () => {
    const short: RiskPredicate = { kind: 'lead_time_under', days: 3 };
    expect(
      explainPredicate(short, context({ plannedStart: new Date(NOW.getTime() + 30 * 3_600_000) })),
    ).toBe('its planned start is 30 hours away, less than 3 days');
    expect(
      explainPredicate(short, context({ plannedStart: new Date(NOW.getTime() + 2.5 * DAY) })),
    ).toBe('its planned start is 2.5 days away, less than 3 days');
    expect(
      explainPredicate(short, context({ plannedStart: new Date(NOW.getTime() + 3 * DAY) })),
    ).toBeNull();
    expect(explainPredicate(short, context({ plannedStart: new Date(NOW.getTime() - 1000) }))).toBe(
      'its planned start (2026-03-02T08:59:59.000Z) has already passed',
    );
    expect(explainPredicate(short, context({ plannedStart: null }))).toBeNull();
  });

  it('find the critical business services in the blast radius, and nothing without it', () => {
    const critical: RiskPredicate = { kind: 'service_criticality', atMost: 2 };
    expect(explainPredicate(critical, context({}, reached(3, 2, null, 1)))).toBe(
      'business services "Service 3" (criticality 1) and "Service 1" (criticality 2) are affected (criticality 2 or more critical)',
    );
    expect(
      explainPredicate({ kind: 'service_criticality', atMost: 1 }, context({}, reached(1))),
    ).toBe('business service "Service 0" (criticality 1) is affected (criticality 1)');
    expect(explainPredicate(critical, context({}, reached(3, null)))).toBeNull();
    expect(explainPredicate(critical, context({}, null))).toBeNull();
    expect(
      explainPredicate(critical, context({}, { status: 'unavailable', detail: 'timeout' })),
    ).toBeNull();
  });

  it('take the maintenance window flag and count the change’s CIs', () => {
    const outside: RiskPredicate = { kind: 'outside_maintenance_window' };
    expect(explainPredicate(outside, context({ outsideMaintenanceWindow: true }))).toBe(
      'it is planned outside a maintenance window',
    );
    expect(explainPredicate(outside, context({ outsideMaintenanceWindow: null }))).toBeNull();
    const many: RiskPredicate = { kind: 'ci_count_over', count: 2 };
    expect(explainPredicate(many, context({ ciIds: ['a', 'b', 'c'] }))).toBe(
      'it affects 3 CIs, more than 2',
    );
    expect(explainPredicate(many, context({ ciIds: ['a', 'b'] }))).toBeNull();
  });

  it('combine with all and any, naming every part that holds', () => {
    const both: RiskPredicate = {
      kind: 'all',
      of: [{ kind: 'model', in: ['emergency'] }, { kind: 'outside_maintenance_window' }],
    };
    expect(
      explainPredicate(both, context({ model: 'emergency', outsideMaintenanceWindow: true })),
    ).toBe('it is an emergency change and it is planned outside a maintenance window');
    expect(explainPredicate(both, context({ model: 'emergency' }))).toBeNull();
    const either: RiskPredicate = { ...both, kind: 'any' };
    expect(explainPredicate(either, context({ model: 'emergency' }))).toBe(
      'it is an emergency change',
    );
    expect(
      explainPredicate(either, context({ model: 'emergency', outsideMaintenanceWindow: true })),
    ).toBe('it is an emergency change and it is planned outside a maintenance window');
    expect(explainPredicate(either, context())).toBeNull();
  });
});

describe('the risk conditions', () => {
  const conditions: RiskCondition[] = [
    {
      id: 'db',
      name: 'Database work',
      when: { kind: 'category', in: ['database'] },
      risk: 'moderate',
    },
    {
      id: 'outside',
      name: 'Outside a window',
      when: { kind: 'outside_maintenance_window' },
      risk: 'high',
    },
    { id: 'many', name: 'Many CIs', when: { kind: 'ci_count_over', count: 1 }, risk: 'moderate' },
  ];

  it('say nothing when none holds', () => {
    expect(assessConditions(conditions, context())).toEqual({
      source: 'condition',
      risk: null,
      reasons: [],
    });
  });

  it('count every condition that holds, the highest winning, reasons in policy order', () => {
    const assessed = assessConditions(
      conditions,
      context({ category: 'database', outsideMaintenanceWindow: true, ciIds: ['a', 'b'] }),
    );
    expect(assessed.risk).toBe('high');
    expect(assessed.reasons.map((reason) => reason.text)).toEqual([
      'Condition "Database work": its category is "database"; moderate risk.',
      'Condition "Outside a window": it is planned outside a maintenance window; high risk.',
      'Condition "Many CIs": it affects 2 CIs, more than 1; moderate risk.',
    ]);
  });

  it('are not hidden by an earlier, lower one', () => {
    const assessed = assessConditions(
      conditions,
      context({ category: 'database', outsideMaintenanceWindow: true }),
    );
    expect(assessed.risk).toBe('high');
  });
});
