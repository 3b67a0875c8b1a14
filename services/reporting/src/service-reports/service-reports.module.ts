import { Module } from '@nestjs/common';
import { KpisModule } from '../kpis/kpis.module';
import { ScheduledReports } from './application/scheduled-reports.service';
import { ServiceReports } from './application/service-reports.service';
import { ReportSchedulesController } from './http/report-schedules.controller';
import { ServiceReportsController } from './http/service-reports.controller';
import { ReportScheduler } from './jobs/report-scheduler';
import { REPORT_SCHEDULER_CONFIG, loadReportSchedulerConfig } from './jobs/report-scheduler.config';
import { ReportSchedulesRepository } from './persistence/report-schedules.repository';
import { ServiceReportsRepository } from './persistence/service-reports.repository';

@Module({
  imports: [KpisModule],
  controllers: [ServiceReportsController, ReportSchedulesController],
  providers: [
    ServiceReports,
    ScheduledReports,
    ServiceReportsRepository,
    ReportSchedulesRepository,
    ReportScheduler,
    { provide: REPORT_SCHEDULER_CONFIG, useFactory: () => loadReportSchedulerConfig() },
  ],
})
export class ServiceReportsModule {}
