import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export class WorkingIntervalDto {
  @ApiProperty({ example: '09:00', description: 'Wall-clock start in the calendar zone.' })
  @Matches(TIME, { message: 'must be a time HH:mm' })
  start!: string;

  @ApiProperty({
    example: '17:00',
    description: 'Wall-clock end (exclusive); `24:00` is midnight.',
  })
  @Matches(TIME, { message: 'must be a time HH:mm' })
  end!: string;
}

function dayProperty(): PropertyDecorator {
  const decorators = [
    ApiPropertyOptional({ type: [WorkingIntervalDto], description: 'Intervals worked that day.' }),
    // Absent is a day not worked; null is not a list of intervals (IsOptional would let it through).
    ValidateIf((_: unknown, value: unknown) => value !== undefined),
    IsArray(),
    ArrayMaxSize(12),
    ValidateNested({ each: true }),
    Type(() => WorkingIntervalDto),
  ];
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

/** Working hours per weekday; a day left out is not worked. */
export class WorkingHoursDto {
  @dayProperty() monday?: WorkingIntervalDto[];
  @dayProperty() tuesday?: WorkingIntervalDto[];
  @dayProperty() wednesday?: WorkingIntervalDto[];
  @dayProperty() thursday?: WorkingIntervalDto[];
  @dayProperty() friday?: WorkingIntervalDto[];
  @dayProperty() saturday?: WorkingIntervalDto[];
  @dayProperty() sunday?: WorkingIntervalDto[];
}

export class CreateCalendarDto {
  @ApiProperty({ example: 'Berlin office hours', minLength: 1, maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiProperty({ example: 'Europe/Berlin', description: 'An IANA time zone.' })
  @IsString()
  @MaxLength(100)
  timeZone!: string;

  @ApiProperty({ type: WorkingHoursDto })
  // ValidateNested alone lets a missing object through.
  @IsObject()
  @ValidateNested()
  @Type(() => WorkingHoursDto)
  workingHours!: WorkingHoursDto;

  @ApiPropertyOptional({
    type: [String],
    example: ['2026-12-25'],
    description: 'Days not worked, as dates in the calendar zone.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(2000)
  @IsString({ each: true })
  holidays?: string[];
}

export class UpdateCalendarDto extends PartialType(CreateCalendarDto) {}

export class CalendarResponse extends CreateCalendarDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'True for the seeded `24x7` calendar, which cannot be changed.' })
  builtIn!: boolean;

  @ApiProperty({ type: 'integer', minimum: 1 })
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class CalendarPageResponse {
  @ApiProperty({ type: [CalendarResponse] })
  items!: CalendarResponse[];

  @ApiProperty({ type: 'string', nullable: true })
  nextCursor!: string | null;
}
