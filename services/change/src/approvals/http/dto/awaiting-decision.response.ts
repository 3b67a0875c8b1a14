import { ApiProperty } from '@nestjs/swagger';
import { ChangeResponse } from '../../../changes/http/dto/change.response';
import { ApprovalRoundResponse, ApproverRefDto } from './approval.dto';

/** A change awaiting the caller's decision. Documentation only. */
export class AwaitingDecisionResponse {
  @ApiProperty({ type: ChangeResponse }) change!: ChangeResponse;

  @ApiProperty({ type: ApprovalRoundResponse, description: "The change's open approval round." })
  round!: ApprovalRoundResponse;

  @ApiProperty({
    type: [ApproverRefDto],
    description:
      "The round's approvers the caller could decide for (named in person, a group of theirs, a role they hold) that nobody decided for yet; a decision's `onBehalfOf` takes one of them.",
  })
  canDecideFor!: ApproverRefDto[];
}

export class AwaitingDecisionPageResponse {
  @ApiProperty({ type: [AwaitingDecisionResponse] }) items!: AwaitingDecisionResponse[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor!: string | null;
}
