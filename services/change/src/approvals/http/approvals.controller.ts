import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import { ApiProblemResponses, ParseUuidPipe } from '@itsm/platform';
import {
  ChangeApprovalsService,
  type ChangeApprovalsView,
} from '../application/change-approvals.service';
import { ApprovalDecisionDto, ChangeApprovalsResponse } from './dto/approval.dto';

/** A change's approvals: its rounds and decisions, and an approver deciding. Thin. */
@ApiTags('changes')
@Controller('api/v1/changes')
export class ApprovalsController {
  constructor(private readonly approvals: ChangeApprovalsService) {}

  @Get(':id/approvals')
  @ApiOperation({
    summary: "Read a change's approvals",
    description:
      'Every round (a rejected one is kept when the change is submitted again): the policy that chose the approvers, the rule, each decision with its comment and time, and what is still missing.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: ChangeApprovalsResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:read')
  read(@Param('id', ParseUuidPipe) id: string): Promise<ChangeApprovalsView> {
    return this.approvals.read(id);
  }

  @Post(':id/approvals')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Approve or reject a change',
    description:
      'For one of the approvers its policy named (a user, any one member of a group, any one holder of a role); once per person per round. One rejection rejects and returns the change to `new`; when the rule is met the change moves from `authorize` to `scheduled` by itself. An emergency change that went ahead is authorised after the fact. Publishes `itsm.change.approval_decided.v1`.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: ChangeApprovalsResponse })
  @ApiProblemResponses(400, 403, 404, 409)
  @RequirePermission('change:approve')
  decide(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: ApprovalDecisionDto,
    @CurrentCaller() caller: Caller,
  ): Promise<ChangeApprovalsView> {
    return this.approvals.decide(id, body, caller);
  }
}
