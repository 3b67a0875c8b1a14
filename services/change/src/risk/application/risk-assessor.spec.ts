import { openChange, type Change } from '../../changes/domain/change';
import { type CmdbImpactClient } from '../../cmdb/cmdb-impact.client';
import { type ScheduleReader } from '../../conflicts/application/schedule-reader';
import { loadChangeConfig } from '../../config/change.config';
import { type GroupRecordsRepository } from '../persistence/group-records.repository';
import { RiskAssessor } from './risk-assessor';

const NOW = new Date('2026-12-04T10:00:00Z');
const OUTSIDE =
  'Condition "Outside a maintenance window": it is planned outside a maintenance window; moderate risk.';

/** A normal change a month ahead on no CI, with no group: low, unless the schedule says otherwise. */
function change(): Change {
  return openChange(
    {
      title: 'Rotate the certificates',
      model: 'normal',
      requestedBy: 'change_manager',
      plannedStart: new Date('2027-01-04T20:00:00Z'),
      plannedEnd: new Date('2027-01-04T22:00:00Z'),
    },
    { id: 'c1', sequence: 1 },
    NOW,
  );
}

describe('the risk assessor reads whether a change is outside a maintenance window', () => {
  function assessor(outside: boolean | null) {
    const asked: Change[] = [];
    const schedule = {
      outsideMaintenanceWindow: (planned: Change) => {
        asked.push(planned);
        return Promise.resolve(outside);
      },
    } as unknown as ScheduleReader;
    const risk = new RiskAssessor(
      {} as CmdbImpactClient,
      {} as GroupRecordsRepository,
      schedule,
      loadChangeConfig({}),
    );
    return { risk, asked };
  }

  it('from the schedule when the caller has not just checked it', async () => {
    const { risk, asked } = assessor(true);
    const assessed = await risk.assess({} as never, change(), NOW);
    expect(assessed).toMatchObject({ risk: 'moderate', riskSource: 'condition' });
    expect(assessed.riskReasons).toContain(OUTSIDE);
    expect(asked).toHaveLength(1);
    const inside = await assessor(false).risk.assess({} as never, change(), NOW);
    expect(inside.risk).toBe('low');
    expect(inside.riskReasons).not.toContain(OUTSIDE);
  });

  it('from the conflict check the caller made, without reading the schedule again', async () => {
    const { risk, asked } = assessor(false);
    const assessed = await risk.assess({} as never, change(), NOW, {
      outsideMaintenanceWindow: true,
    });
    expect(assessed.riskReasons).toContain(OUTSIDE);
    expect(asked).toHaveLength(0);
    const unknown = await risk.assess({} as never, change(), NOW, {
      outsideMaintenanceWindow: null,
    });
    expect(unknown.risk).toBe('low');
  });
});
