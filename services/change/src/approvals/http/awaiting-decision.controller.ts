import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import { ApiProblemResponses, PageQuery, type Page } from '@itsm/platform';
import {
  AwaitingDecisionService,
  type AwaitingDecisionView,
} from '../application/awaiting-decision.service';
import { AwaitingDecisionPageResponse } from './dto/awaiting-decision.response';

/** The approvals inbox: the changes awaiting the caller's decision. Thin. */
@ApiTags('changes')
@Controller('api/v1/changes')
export class AwaitingDecisionController {
  constructor(private readonly awaiting: AwaitingDecisionService) {}

  @Get('awaiting-my-decision')
  @ApiOperation({
    summary: 'The changes awaiting my decision',
    description:
      'The changes whose open approval round awaits a decision by the caller: it names them in person, a group they are in or a role they hold, that approver has not been decided for, the caller has not decided in the round, and the change takes a decision in its state (`authorize`; an emergency change whose policy allows approval after the fact also in `scheduled`, `implement`, `review` and `closed`). Each item is the change, its open round and the approvers the caller could decide for. Oldest request first; keyset-paged.',
  })
  @ApiResponse({ status: 200, type: AwaitingDecisionPageResponse })
  @ApiProblemResponses(400, 403)
  @RequirePermission('change:approve')
  list(
    @Query() query: PageQuery,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<AwaitingDecisionView>> {
    return this.awaiting.list(caller, query);
  }
}
