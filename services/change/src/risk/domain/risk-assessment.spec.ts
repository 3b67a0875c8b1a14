import { assessRisk, type RiskInput } from './risk-assessment';
import { RuleViolation } from '@itsm/domain';
import type { BlastRadius, ChangeRiskFacts, GroupRecord } from './risk-facts';
import { DEFAULT_RISK_POLICY, type RiskPolicy } from './risk-policy';

const NOW = new Date('2026-03-02T09:00:00Z');
const DAY = 86_400_000;

const LOW_ANSWERS = { experience: 'often', tested: 'yes', backout: 'tested', outage: 'no' };
const HIGH_ANSWERS = { experience: 'never', tested: 'no', backout: 'untested', outage: 'no' };
const QUIET: BlastRadius = {
  status: 'known',
  businessServices: [{ id: 's1', name: 'Intranet', criticality: 4 }],
  reachedCiCount: 3,
  truncated: false,
};
const CRITICAL: BlastRadius = {
  status: 'known',
  businessServices: [{ id: 's2', name: 'Payments', criticality: 1 }],
  reachedCiCount: 3,
  truncated: false,
};
const CLEAN: GroupRecord = {
  group: 'network',
  lookBackMs: 90 * DAY,
  completed: 20,
  failed: 0,
  causedIncidents: 0,
};

function input(fields: Partial<RiskInput> = {}, facts: Partial<ChangeRiskFacts> = {}): RiskInput {
  return {
    facts: {
      model: 'normal',
      category: null,
      plannedStart: new Date(NOW.getTime() + 14 * DAY),
      ciIds: ['ci-1'],
      outsideMaintenanceWindow: false,
      ...facts,
    },
    answers: LOW_ANSWERS,
    blastRadius: QUIET,
    groupRecord: CLEAN,
    template: null,
    now: NOW,
    ...fields,
  };
}

function assess(
  fields: Partial<RiskInput> = {},
  facts: Partial<ChangeRiskFacts> = {},
  policy: RiskPolicy = DEFAULT_RISK_POLICY,
) {
  return assessRisk(policy, input(fields, facts));
}

describe('the computed risk', () => {
  it('is low when every source says low, the first source by precedence named', () => {
    const assessed = assess();
    expect(assessed).toMatchObject({ risk: 'low', source: 'questionnaire', assessedAt: NOW });
    expect(assessed.reasons).toEqual([
      'Questionnaire "Normal change" scores 0, under 4; low risk.',
      'The change\'s CIs reach business service "Intranet" (criticality 4) and 3 CIs upstream; low risk.',
      'Group "network" completed 20 changes in the last 90 days: none was unsuccessful or backed out (0 %) and none caused an incident (0 %); low risk.',
    ]);
    expect(assessed.questionnaire).toMatchObject({
      questionnaireId: 'normal',
      complete: true,
      score: 0,
    });
  });

  describe('takes each source alone', () => {
    it('a condition', () => {
      const assessed = assess({}, { outsideMaintenanceWindow: true });
      expect(assessed).toMatchObject({ risk: 'moderate', source: 'condition' });
      expect(assessed.reasons[0]).toBe(
        'Condition "Outside a maintenance window": it is planned outside a maintenance window; moderate risk.',
      );
    });

    it('the questionnaire', () => {
      const assessed = assess({ answers: HIGH_ANSWERS });
      expect(assessed).toMatchObject({ risk: 'high', source: 'questionnaire' });
      expect(assessed.reasons[0]).toBe(
        'Questionnaire "Normal change" scores 9 (tested: No +4, experience: Never +3, backout: Yes, not tested +2), 8 or more; high risk.',
      );
    });

    it('the blast radius', () => {
      const assessed = assess({ blastRadius: CRITICAL });
      expect(assessed).toMatchObject({ risk: 'high', source: 'blast_radius' });
      expect(assessed.reasons[0]).toBe(
        'The change\'s CIs reach business service "Payments" (criticality 1), at criticality 1; high risk.',
      );
    });

    it("the group's record", () => {
      const assessed = assess({ groupRecord: { ...CLEAN, completed: 10, failed: 3 } });
      expect(assessed).toMatchObject({ risk: 'high', source: 'group_record' });
      expect(assessed.reasons[0]).toBe(
        'Group "network" completed 10 changes in the last 90 days: 3 were unsuccessful or backed out (30 %, 20 % or more); high risk.',
      );
    });
  });

  it('takes the highest of all, every reason listed highest first, ties by source precedence', () => {
    const assessed = assess(
      {
        answers: HIGH_ANSWERS,
        blastRadius: CRITICAL,
        groupRecord: { ...CLEAN, completed: 10, failed: 1 },
      },
      { plannedStart: new Date(NOW.getTime() + 3 * DAY) },
    );
    expect(assessed.risk).toBe('high');
    expect(assessed.source).toBe('questionnaire');
    expect(assessed.reasons).toEqual([
      'Questionnaire "Normal change" scores 9 (tested: No +4, experience: Never +3, backout: Yes, not tested +2), 8 or more; high risk.',
      'The change\'s CIs reach business service "Payments" (criticality 1), at criticality 1; high risk.',
      'Condition "Short lead time": it is a normal change and its planned start is 3 days away, less than 5 days; moderate risk.',
      'Group "network" completed 10 changes in the last 90 days: 1 was unsuccessful or backed out (10 %, 10 % or more); moderate risk.',
    ]);
    expect(
      assessed.contributions.map((contribution) => [contribution.source, contribution.risk]),
    ).toEqual([
      ['condition', 'moderate'],
      ['questionnaire', 'high'],
      ['blast_radius', 'high'],
      ['group_record', 'moderate'],
    ]);
  });

  it('rates an emergency change on a most critical service very high, by the default conditions', () => {
    const assessed = assess(
      { blastRadius: CRITICAL, answers: { tested: 'yes', backout: 'yes', outage: 'none' } },
      { model: 'emergency', plannedStart: new Date(NOW.getTime() + 3_600_000) },
    );
    expect(assessed).toMatchObject({ risk: 'very_high', source: 'condition' });
    expect(assessed.reasons.slice(0, 2)).toEqual([
      'Condition "Emergency change on a most critical service": it is an emergency change and business service "Payments" (criticality 1) is affected (criticality 1); very high risk.',
      'Condition "Emergency change": it is an emergency change; high risk.',
    ]);
  });

  it('lists the reasons of sources that raise nothing after the others', () => {
    const assessed = assess({ answers: { tested: 'partly' }, groupRecord: null });
    expect(assessed.risk).toBe('low');
    expect(assessed.source).toBe('blast_radius');
    expect(assessed.reasons).toEqual([
      'The change\'s CIs reach business service "Intranet" (criticality 4) and 3 CIs upstream; low risk.',
      'The questionnaire "Normal change" is not complete: missing experience, backout, outage; it raises no risk until it is.',
      'The change has no assignment group: no success record to weigh.',
    ]);
  });

  it('never rates a change low because the CMDB was not asked or could not be', () => {
    expect(assess({ blastRadius: null })).toMatchObject({
      risk: 'moderate',
      source: 'blast_radius',
    });
    expect(assess({ blastRadius: null }).reasons[0]).toBe(
      'The CMDB could not be asked for the blast radius (it was not asked); moderate risk until it can.',
    );
    expect(assess({ blastRadius: { status: 'unavailable', detail: 'HTTP 503' } }).risk).toBe(
      'moderate',
    );
  });

  it('refuses unknown answers, naming the field', () => {
    let refused: unknown;
    try {
      assess({ answers: { ...LOW_ANSWERS, colour: 'red' } });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(RuleViolation);
    expect(refused).toMatchObject({ field: 'riskAnswers.colour' });
  });

  describe('of a standard change', () => {
    const template = { id: 't1', name: 'Restart a web node', version: 3, risk: 'low' as const };

    it("is its template's risk; the questionnaire, blast radius and group record are not weighed", () => {
      const assessed = assess(
        { template, answers: {}, blastRadius: CRITICAL, groupRecord: { ...CLEAN, failed: 10 } },
        { model: 'standard' },
      );
      expect(assessed).toMatchObject({ risk: 'low', source: 'template', questionnaire: null });
      expect(assessed.reasons).toEqual([
        'Template "Restart a web node" (version 3) was assessed at low risk when it was published.',
      ]);
    });

    it('is raised by a condition, which then is the source', () => {
      const assessed = assess(
        { template, answers: {}, blastRadius: null },
        { model: 'standard', outsideMaintenanceWindow: true },
      );
      expect(assessed).toMatchObject({ risk: 'moderate', source: 'condition' });
      expect(assessed.reasons).toEqual([
        'Condition "Outside a maintenance window": it is planned outside a maintenance window; moderate risk.',
        'Template "Restart a web node" (version 3) was assessed at low risk when it was published.',
      ]);
    });

    it('keeps the template as the source when a condition only equals it', () => {
      const assessed = assess(
        { template: { ...template, risk: 'moderate' }, answers: {} },
        { model: 'standard', outsideMaintenanceWindow: true },
      );
      expect(assessed).toMatchObject({ risk: 'moderate', source: 'template' });
    });

    it('feeds a given blast radius to the conditions', () => {
      const policy: RiskPolicy = {
        ...DEFAULT_RISK_POLICY,
        conditions: [
          {
            id: 'critical',
            name: 'Critical service',
            when: { kind: 'service_criticality', atMost: 1 },
            risk: 'high',
          },
        ],
      };
      expect(
        assess({ template, answers: {}, blastRadius: CRITICAL }, { model: 'standard' }, policy),
      ).toMatchObject({
        risk: 'high',
        source: 'condition',
      });
    });

    it('needs its template and takes no answers', () => {
      expect(() => assess({ answers: {} }, { model: 'standard' })).toThrow(
        'templateId is required: a standard change is opened from a published template',
      );
      expect(() => assess({ template, answers: { tested: 'yes' } }, { model: 'standard' })).toThrow(
        'riskAnswers are not taken: a standard change takes its risk from its template',
      );
    });
  });
});
