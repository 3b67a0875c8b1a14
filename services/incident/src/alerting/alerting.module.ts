import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { RecordsModule } from '../records/records.module';
import { ALERT_POLICY, loadAlertPolicy } from './alerting.config';
import { AlertIntakeService } from './application/alert-intake.service';
import { AlertmanagerWebhookController } from './http/alertmanager-webhook.controller';

/** Monitoring in: the Prometheus Alertmanager webhook. */
@Module({
  imports: [RecordsModule, DirectoryModule],
  controllers: [AlertmanagerWebhookController],
  providers: [AlertIntakeService, { provide: ALERT_POLICY, useFactory: () => loadAlertPolicy() }],
})
export class AlertingModule {}
