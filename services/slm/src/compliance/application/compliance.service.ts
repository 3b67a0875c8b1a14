import { Injectable } from '@nestjs/common';
import { ComplianceRepository, type ComplianceQuery } from '../persistence/compliance.repository';

export interface ComplianceItem {
  slaId: string | null;
  slaName: string | null;
  businessServiceId: string | null;
  assignmentGroup: string | null;
  periodStart: string | null;
  met: number;
  breached: number;
  inFlight: number;
  cancelled: number;
  /** met / (met + breached); null when none has an outcome yet. */
  shareMet: number | null;
  meanPercentUsed: number | null;
  p90PercentUsed: number | null;
  meanElapsedMs: number | null;
  p90ElapsedMs: number | null;
}

const rounded = (value: number | null, digits: number) =>
  value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;

@Injectable()
export class ComplianceService {
  constructor(private readonly compliance: ComplianceRepository) {}

  async summarize(query: ComplianceQuery): Promise<ComplianceItem[]> {
    const rows = await this.compliance.summarize(query);
    return rows
      .filter((row) => row.met + row.breached + row.inFlight + row.cancelled > 0)
      .map((row) => ({
        ...row,
        periodStart: row.periodStart ? new Date(row.periodStart).toISOString() : null,
        shareMet:
          row.met + row.breached > 0 ? rounded(row.met / (row.met + row.breached), 4) : null,
        meanPercentUsed: rounded(row.meanPercentUsed, 2),
        p90PercentUsed: rounded(row.p90PercentUsed, 2),
        meanElapsedMs: rounded(row.meanElapsedMs, 0),
        p90ElapsedMs: rounded(row.p90ElapsedMs, 0),
      }));
  }
}
