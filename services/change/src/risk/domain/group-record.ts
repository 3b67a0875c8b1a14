import type { ChangeRisk } from '@itsm/contracts';
import { riskLabel, riskRank } from './risk-levels';
import { RuleViolation } from '@itsm/domain';
import type { GroupRecord, RiskContribution } from './risk-facts';
import type { GroupRecordMeasure, GroupRecordPolicy } from './risk-policy';
import { durationText, percentText, plural } from './reason-text';

const MEASURE_TEXT: Record<GroupRecordMeasure, (count: number) => string> = {
  failure_rate: (count) =>
    count === 0
      ? 'none was unsuccessful or backed out'
      : `${count} ${count === 1 ? 'was' : 'were'} unsuccessful or backed out`,
  incident_rate: (count) =>
    count === 0
      ? 'none caused an incident'
      : `${count} caused ${count === 1 ? 'an incident' : 'incidents'}`,
};

function checkCounts(record: GroupRecord): void {
  for (const field of ['completed', 'failed', 'causedIncidents'] as const) {
    const count = record[field];
    if (!Number.isInteger(count) || count < 0)
      throw new RuleViolation(`groupRecord.${field}`, 'must be a whole number, 0 or more');
  }
  if (record.failed > record.completed)
    throw new RuleViolation('groupRecord.failed', 'cannot exceed the completed changes');
  if (record.causedIncidents > record.completed)
    throw new RuleViolation('groupRecord.causedIncidents', 'cannot exceed the completed changes');
}

/**
 * The assignment group's success record over the look-back window. A group with too few
 * completed changes is not judged (one failure in two changes says little); that is said,
 * and the source then raises nothing.
 */
export function assessGroupRecord(
  policy: GroupRecordPolicy,
  record: GroupRecord | null,
): RiskContribution {
  if (!record) {
    return {
      source: 'group_record',
      risk: null,
      reasons: [
        {
          source: 'group_record',
          risk: null,
          text: 'The change has no assignment group: no success record to weigh.',
        },
      ],
    };
  }
  checkCounts(record);
  const window = `in the last ${durationText(record.lookBackMs)}`;
  if (record.completed < policy.minChanges) {
    return {
      source: 'group_record',
      risk: null,
      reasons: [
        {
          source: 'group_record',
          risk: null,
          text: `Group "${record.group}" completed ${plural(record.completed, 'change')} ${window}, fewer than the ${policy.minChanges} needed to judge its record.`,
        },
      ],
    };
  }
  const rates: Record<GroupRecordMeasure, { count: number; ratio: number }> = {
    failure_rate: { count: record.failed, ratio: record.failed / record.completed },
    incident_rate: {
      count: record.causedIncidents,
      ratio: record.causedIncidents / record.completed,
    },
  };
  const summary = `Group "${record.group}" completed ${plural(record.completed, 'change')} ${window}`;
  const reasons: RiskContribution['reasons'] = [];
  for (const measure of ['failure_rate', 'incident_rate'] as const) {
    let worst: { atLeastPercent: number; risk: ChangeRisk } | null = null;
    for (const threshold of policy.thresholds) {
      if (threshold.measure !== measure) continue;
      // Compared in whole counts times 100 so that 1 in 5 is exactly 20 %, not 19.999…
      const holds = rates[measure].count * 100 >= threshold.atLeastPercent * record.completed;
      if (holds && (!worst || riskRank(threshold.risk) > riskRank(worst.risk))) worst = threshold;
    }
    if (!worst) continue;
    const { count, ratio } = rates[measure];
    reasons.push({
      source: 'group_record',
      risk: worst.risk,
      text: `${summary}: ${MEASURE_TEXT[measure](count)} (${percentText(ratio)}, ${worst.atLeastPercent} % or more); ${riskLabel(worst.risk)} risk.`,
    });
  }
  if (reasons.length === 0) {
    reasons.push({
      source: 'group_record',
      risk: 'low',
      text: `${summary}: ${MEASURE_TEXT.failure_rate(record.failed)} (${percentText(rates.failure_rate.ratio)}) and ${MEASURE_TEXT.incident_rate(record.causedIncidents)} (${percentText(rates.incident_rate.ratio)}); low risk.`,
    });
  }
  const risk = reasons.reduce<ChangeRisk>(
    (highest, reason) =>
      reason.risk && riskRank(reason.risk) > riskRank(highest) ? reason.risk : highest,
    'low',
  );
  return { source: 'group_record', risk, reasons };
}
