import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CHANGE_WINDOW_KINDS, type ChangeWindowKind } from '@itsm/contracts';
import { BooleanQuery, CommaList, PageQuery } from '@itsm/platform';
import { OffsetDateTime } from './change-window.dto';

const RANGE =
  'With `from` and `to` (both, at most 400 days apart), only windows with an occurrence overlapping [from, to), each with those `occurrences`.';

/** The filters of the change-window list; every one given narrows it. */
export class ListChangeWindowsQuery extends PageQuery {
  @ApiPropertyOptional({
    description: `Kinds, comma-separated (${CHANGE_WINDOW_KINDS.join(', ')}).`,
    example: 'blackout,freeze',
  })
  @IsOptional()
  @CommaList()
  @IsIn(CHANGE_WINDOW_KINDS, { each: true })
  kind?: ChangeWindowKind[];

  @ApiPropertyOptional({
    type: 'boolean',
    description: 'Active windows only (true) or inactive and retired ones only (false).',
  })
  @IsOptional()
  @BooleanQuery()
  @IsIn([true, false])
  active?: boolean;

  @ApiPropertyOptional({
    type: 'boolean',
    description: 'Freezes in force only (true), or the others.',
  })
  @IsOptional()
  @BooleanQuery()
  @IsIn([true, false])
  inForce?: boolean;

  @OffsetDateTime({ optional: true, description: `Start of the range. ${RANGE}` })
  from?: string;

  @OffsetDateTime({ optional: true, description: `End of the range. ${RANGE}` })
  to?: string;
}

/** The range a window's occurrences are asked for. */
export class OccurrencesQuery {
  @OffsetDateTime({
    optional: false,
    description: 'Occurrences overlapping [from, to); at most 400 days.',
    example: '2026-03-01T00:00:00Z',
  })
  from!: string;

  @OffsetDateTime({
    optional: false,
    description: 'End of the range.',
    example: '2026-05-01T00:00:00Z',
  })
  to!: string;
}
