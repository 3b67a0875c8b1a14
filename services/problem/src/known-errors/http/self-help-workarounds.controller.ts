import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsString, Max, MaxLength, Min } from 'class-validator';
import { RequirePermission } from '@itsm/auth';
import { ApiProblemResponses } from '@itsm/platform';
import { KnownErrorsService } from '../application/known-errors.service';
import {
  DEFAULT_WORKAROUNDS,
  MAX_WORKAROUNDS,
  type SelfHelpWorkaround,
} from '../domain/self-help-workarounds';

class SelfHelpQuery {
  @ApiProperty({
    maxLength: 500,
    description: 'What the requester typed (web search syntax, as the known-error search).',
    example: 'outlook or vpn disconnected',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  q!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_WORKAROUNDS, default: DEFAULT_WORKAROUNDS })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_WORKAROUNDS)
  limit: number = DEFAULT_WORKAROUNDS;
}

class SelfHelpWorkaroundResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'KE0000042' }) number!: string;
  @ApiProperty() title!: string;
  @ApiProperty() symptom!: string;
  @ApiProperty() workaround!: string;
}

class SelfHelpWorkaroundsResponse {
  @ApiProperty({ type: [SelfHelpWorkaroundResponse] }) items!: SelfHelpWorkaround[];
}

/**
 * Self-service: whoever may raise an incident may see, while they describe it, the
 * workarounds of the valid known errors that read alike (docs/problems.md).
 */
@ApiTags('known-errors')
@Controller('api/v1/known-errors/workarounds')
export class SelfHelpWorkaroundsController {
  constructor(private readonly knownErrors: KnownErrorsService) {}

  @Get()
  @ApiOperation({
    summary: 'Known workarounds for what a requester describes',
    description:
      'The valid known errors with a workaround whose text matches `q`, best first: their title, symptom and workaround only. Needs `incident:create`, not `problem:read`: it is what the portal shows while an incident is typed.',
  })
  @ApiResponse({ status: 200, type: SelfHelpWorkaroundsResponse })
  @ApiProblemResponses(400)
  @RequirePermission('incident:create')
  async find(@Query() query: SelfHelpQuery): Promise<{ items: SelfHelpWorkaround[] }> {
    return { items: await this.knownErrors.workaroundsFor(query.q, query.limit) };
  }
}
