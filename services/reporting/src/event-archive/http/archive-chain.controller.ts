import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { RequirePermission } from '@itsm/auth';
import { ApiProblemResponses, ValidationProblem } from '@itsm/platform';
import { ArchiveChainVerifier, type ChainVerification } from '../persistence/archive-chain';

const SEQUENCE = /^[1-9][0-9]{0,17}$/;

export class ArchiveVerifyQuery {
  @ApiPropertyOptional({
    pattern: SEQUENCE.source,
    description: 'First archive sequence to check (inclusive); the first row when absent.',
  })
  @IsOptional()
  @Matches(SEQUENCE, { message: 'must be a positive integer (an archive sequence)' })
  fromSequence?: string;

  @ApiPropertyOptional({
    pattern: SEQUENCE.source,
    description:
      'Last archive sequence to check (inclusive); when absent the walk runs to the end and checks the recorded head too.',
  })
  @IsOptional()
  @Matches(SEQUENCE, { message: 'must be a positive integer (an archive sequence)' })
  toSequence?: string;
}

export class ChainAnchorResponse {
  @ApiProperty({ type: 'string', nullable: true, pattern: '^[0-9]+$' })
  sequence!: string | null;

  @ApiProperty({ pattern: '^[0-9a-f]{64}$' })
  hash!: string;
}

export class ChainBreakResponse {
  @ApiProperty({ pattern: '^[0-9]+$', description: 'The row where the chain stops holding.' })
  sequence!: string;

  @ApiProperty({
    enum: ['content', 'link', 'head'],
    description:
      '`content`: the row no longer hashes to its stored hash (it was edited). `link`: the row does not follow the row before it (a row between was removed or inserted, or the previous hash rewritten). `head`: the archive does not end at the head it recorded (rows at the end were removed).',
  })
  kind!: string;

  @ApiProperty({ description: 'The hash the chain expects there.' })
  expected!: string;

  @ApiProperty({ description: 'The hash found there.' })
  found!: string;

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    description: 'For `link` and `head`: the last row found in order before the break.',
  })
  previousSequence?: string | null;
}

export class ChainVerificationResponse {
  @ApiProperty({ description: 'Whether every row of the range is in order and unaltered.' })
  intact!: boolean;

  @ApiProperty({ type: 'integer', description: 'Rows checked and found in order.' })
  checked!: number;

  @ApiProperty({
    type: ChainAnchorResponse,
    description: 'The row the walk continued from (sequence null: the start of the archive).',
  })
  anchor!: ChainAnchorResponse;

  @ApiProperty({ type: ChainAnchorResponse, description: 'The last row found in order.' })
  last!: ChainAnchorResponse;

  @ApiProperty({
    type: ChainAnchorResponse,
    nullable: true,
    description: 'The head the archive recorded, when the range ran to the end.',
  })
  head!: ChainAnchorResponse | null;

  @ApiProperty({ type: ChainBreakResponse, nullable: true })
  break!: ChainBreakResponse | null;
}

@ApiTags('reports')
@Controller('api/v1/reports/event-archive/verify')
@RequirePermission('evidence:read')
export class ArchiveChainController {
  constructor(private readonly verifier: ArchiveChainVerifier) {}

  @Get()
  @ApiOperation({
    summary: 'Verify the hash chain of the event archive',
    description:
      'Recomputes the hash chain over a range of archive sequences (the whole archive by default) and answers whether it holds, or the first row where it breaks with the hash expected and the hash found. An event edited in the database, a row removed or inserted, or rows removed from the end are found. Needs `evidence:read`: it reads no event, but every row.',
  })
  @ApiResponse({ status: 200, type: ChainVerificationResponse })
  @ApiProblemResponses(400)
  verify(@Query() query: ArchiveVerifyQuery): Promise<ChainVerification> {
    if (
      query.fromSequence !== undefined &&
      query.toSequence !== undefined &&
      BigInt(query.fromSequence) > BigInt(query.toSequence)
    )
      throw new ValidationProblem([
        { field: 'toSequence', message: 'must not be before fromSequence' },
      ]);
    return this.verifier.verify(query);
  }
}
