import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { RequirePermission } from '@itsm/auth';
import { CHANGE_RISK_SOURCES, CHANGE_RISKS } from '@itsm/contracts';
import { ApiProblemResponses, ParseUuidPipe, answeringDomainErrors } from '@itsm/platform';
import { DataSource } from 'typeorm';
import { ChangesService } from '../../changes/application/changes.service';
import { RiskAssessor } from '../application/risk-assessor';

class RiskSourceResponse {
  @ApiProperty({ enum: CHANGE_RISK_SOURCES }) source!: string;
  @ApiProperty({
    enum: CHANGE_RISKS,
    nullable: true,
    description: 'null: the source says nothing.',
  })
  risk!: string | null;
  @ApiProperty({ type: [String] }) reasons!: string[];
}

class QuestionResponse {
  @ApiProperty() id!: string;
  @ApiProperty() text!: string;
  @ApiProperty() required!: boolean;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', properties: { id: { type: 'string' }, text: { type: 'string' } } },
  })
  answers!: { id: string; text: string }[];
}

class QuestionnaireResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [QuestionResponse] }) questions!: QuestionResponse[];
  @ApiProperty() complete!: boolean;
  @ApiProperty({ type: [String], description: 'Required questions not answered yet.' })
  missing!: string[];
}

export class ChangeRiskResponse {
  @ApiProperty({ enum: CHANGE_RISKS, description: 'As it would be computed now.' }) risk!: string;
  @ApiProperty({ enum: CHANGE_RISK_SOURCES, nullable: true }) source!: string | null;
  @ApiProperty({ type: [String] }) reasons!: string[];
  @ApiProperty({ type: [RiskSourceResponse] }) sources!: RiskSourceResponse[];
  @ApiProperty({ type: QuestionnaireResponse, nullable: true })
  questionnaire!: QuestionnaireResponse | null;
  @ApiProperty({ format: 'date-time' }) assessedAt!: string;
}

/** A change's risk as it would be computed now, each source with its reasons, and the questions to answer. */
@ApiTags('changes')
@Controller('api/v1/changes')
export class RiskController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly changes: ChangesService,
    private readonly risk: RiskAssessor,
  ) {}

  @Get(':id/risk')
  @ApiOperation({
    summary: "Assess a change's risk now",
    description:
      "The highest of the ordered conditions, the questionnaire, the CMDB blast radius and the assignment group's record, each source with its reasons, and the questionnaire the change is to answer (`riskAnswers`). Stores nothing: the change keeps the risk it was last assessed at (on raising, on changes of what the risk reads, and when it asks for authorisation).",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: ChangeRiskResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:read')
  async read(@Param('id', ParseUuidPipe) id: string): Promise<ChangeRiskResponse> {
    const change = await this.changes.found(id);
    const now = new Date();
    const assessment = await answeringDomainErrors(() =>
      this.risk.assessment(this.dataSource.manager, change, now),
    );
    const questionnaire = this.risk.questionnaireOf(change);
    return {
      risk: assessment.risk,
      source: assessment.source,
      reasons: assessment.reasons,
      sources: assessment.contributions.map((contribution) => ({
        source: contribution.source,
        risk: contribution.risk,
        reasons: contribution.reasons.map((reason) => reason.text),
      })),
      questionnaire: questionnaire && {
        id: questionnaire.id,
        name: questionnaire.name,
        questions: questionnaire.questions.map((question) => ({
          id: question.id,
          text: question.text,
          required: question.required,
          answers: question.answers.map((answer) => ({ id: answer.id, text: answer.text })),
        })),
        complete: assessment.questionnaire?.complete ?? false,
        missing: assessment.questionnaire?.missing ?? [],
      },
      assessedAt: now.toISOString(),
    };
  }
}
