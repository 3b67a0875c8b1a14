import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Omittable } from '@itsm/platform';
import { CreateChangeWindowDto } from './change-window.dto';
import { ListChangeWindowsQuery } from './list-change-windows.query';

/** The kinds that refuse changes: what `/api/v1/blackout-windows` shows of the change windows. */
export const BLACKOUT_KINDS = ['blackout', 'freeze'] as const;
export type BlackoutKind = (typeof BLACKOUT_KINDS)[number];

export class CreateBlackoutWindowDto extends OmitType(CreateChangeWindowDto, ['kind'] as const) {
  @ApiPropertyOptional({
    enum: BLACKOUT_KINDS,
    default: 'blackout',
    description:
      'blackout: changes on its scope are refused during its occurrences (unless an emergency with an override reason); freeze: also put in force at once, holding in-flight changes.',
  })
  @Omittable()
  @IsIn(BLACKOUT_KINDS)
  kind?: BlackoutKind;
}

export class ListBlackoutWindowsQuery extends OmitType(ListChangeWindowsQuery, ['kind'] as const) {}
