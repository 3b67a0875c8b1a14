import { ProducedReportEntity } from './produced-report.entity';
import { ServiceReportActionEntity, ServiceReportNotesEntity } from './report-notes.entity';
import { ReportScheduleEntity } from './report-schedule.entity';

/** The tables of service reports (migration 1765200000000). */
export const SERVICE_REPORT_ENTITIES = [
  ServiceReportNotesEntity,
  ServiceReportActionEntity,
  ReportScheduleEntity,
  ProducedReportEntity,
];
