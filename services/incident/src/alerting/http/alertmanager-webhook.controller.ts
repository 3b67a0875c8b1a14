import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import { ApiProblemResponses } from '@itsm/platform';
import { AlertIntakeService, type AlertOutcome } from '../application/alert-intake.service';
import { AlertmanagerWebhookDto } from './alertmanager-webhook.dto';

@ApiTags('integrations')
@Controller('api/v1/integrations/alertmanager')
export class AlertmanagerWebhookController {
  constructor(private readonly intake: AlertIntakeService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Receive a Prometheus Alertmanager notification (webhook payload version 4)',
    description:
      'One incident per alert fingerprint; repeats add a note; a resolved alert adds a note or resolves (ALERTMANAGER_RESOLVE_ON_RESOLVED). Answers what was done with each alert. See docs/integrations/alertmanager.md.',
  })
  @ApiResponse({
    status: 200,
    description: 'One outcome per alert: open, note, reopen, resolve or ignore.',
  })
  @ApiProblemResponses(400)
  @RequirePermission('alert:ingest')
  async receive(
    @Body() body: AlertmanagerWebhookDto,
    @CurrentCaller() caller: Caller,
  ): Promise<{ outcomes: AlertOutcome[] }> {
    return { outcomes: await this.intake.receive(body, caller.username) };
  }
}
