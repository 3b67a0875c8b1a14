import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { CHANGE_TASK_STATES, CHANGE_TASK_TYPES, type ChangeTaskType } from '@itsm/contracts';
import { Description, Instant, Label, Title, Username } from '@itsm/platform';

export class CreateChangeTaskDto {
  @ApiProperty({ enum: CHANGE_TASK_TYPES })
  @IsIn(CHANGE_TASK_TYPES)
  type!: ChangeTaskType;

  @Title({ optional: false })
  title!: string;

  @Description({ optional: true })
  description?: string;

  @Label('Assignment group.', 'database')
  assignmentGroup?: string;

  @Username('Assignee; needs an assignment group.')
  assignee?: string;

  @Instant(
    "Planned start; given together with plannedEnd, inside the change's planned window when it has one.",
  )
  plannedStart?: string;

  @Instant("Planned end, after plannedStart, inside the change's planned window.")
  plannedEnd?: string;
}

export class UpdateChangeTaskDto {
  @Title({ optional: true })
  title?: string;

  @Description({ optional: true })
  description?: string;

  @Label('Assignment group. Changing it clears the assignee unless one is given.')
  assignmentGroup?: string | null;

  @Username('Assignee; needs an assignment group.')
  assignee?: string | null;

  @Instant("Planned start, inside the change's planned window; null clears both dates.", {
    nullable: true,
  })
  plannedStart?: string | null;

  @Instant("Planned end, inside the change's planned window.", { nullable: true })
  plannedEnd?: string | null;
}

export class ChangeTaskTransitionDto {
  @ApiProperty({ enum: CHANGE_TASK_STATES })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  to!: string;

  @ApiPropertyOptional({
    maxLength: 20000,
    description: 'Required to cancel (why); may be given to complete.',
  })
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: '$property must not be blank' })
  @MaxLength(20000)
  closeNotes?: string;
}
