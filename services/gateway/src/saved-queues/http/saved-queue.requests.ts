import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  LIST_ONLY_PARAMETERS,
  MAX_NAME_LENGTH,
  MAX_PARAMETER_LENGTH,
  MAX_SAVED_QUEUES_PER_USER,
  SAVED_QUEUE_LISTS,
  SAVED_QUEUE_NAME,
  type SavedQueueList,
} from '../domain/saved-queue';

/** A query parameter of the list: a string of 1..500 characters, as it would be sent. */
function ListParameter(description: string): PropertyDecorator {
  return (target, key) => {
    ApiPropertyOptional({
      type: 'string',
      minLength: 1,
      maxLength: MAX_PARAMETER_LENGTH,
      description,
    })(target, key);
    IsOptional()(target, key);
    IsString()(target, key);
    MinLength(1)(target, key);
    MaxLength(MAX_PARAMETER_LENGTH)(target, key);
  };
}

const INCIDENTS_ONLY = `Incidents only (${LIST_ONLY_PARAMETERS.incidents.join(', ')}).`;

/**
 * The query parameters of `GET /api/v1/incidents` and `/requests` a queue keeps, exactly as
 * that list takes them (docs/incidents.md): no other name is accepted, and each list refuses
 * the other's own (`catalogItem` is the requests', `major`, `parentId`, `problemId` the
 * incidents'). Paging (`limit`, `cursor`) is not kept.
 */
export class SavedQueueParametersDto {
  @ListParameter('States, comma-separated, e.g. `new,in_progress`.')
  state?: string;

  @ListParameter('Priorities, comma-separated, e.g. `P1,P2`.')
  priority?: string;

  @ListParameter('Assignment groups, comma-separated.')
  assignmentGroup?: string;

  @ListParameter('The assignee.')
  assignee?: string;

  @ListParameter('`true`: unassigned records only; `false`: assigned ones.')
  unassigned?: string;

  @ListParameter('The requester.')
  requester?: string;

  @ListParameter('The business service (a UUID).')
  businessServiceId?: string;

  @ListParameter('An affected configuration item (a UUID).')
  ciId?: string;

  @ListParameter('The category.')
  category?: string;

  @ListParameter('The subcategory.')
  subcategory?: string;

  @ListParameter('Where records came from.')
  source?: string;

  @ListParameter('The external reference.')
  externalRef?: string;

  @ListParameter('Tags, comma-separated.')
  tag?: string;

  @ListParameter('Escalated at least this far.')
  escalationLevel?: string;

  @ListParameter('Opened at or after (an instant).')
  openedFrom?: string;

  @ListParameter('Opened before (an instant).')
  openedTo?: string;

  @ListParameter('Last changed at or after (an instant).')
  updatedFrom?: string;

  @ListParameter('Last changed before (an instant).')
  updatedTo?: string;

  @ListParameter('The full-text search.')
  q?: string;

  @ListParameter('The sort, e.g. `priority` or `-openedAt`.')
  sort?: string;

  @ListParameter(`Major incidents (\`true\`) or not. ${INCIDENTS_ONLY}`)
  major?: string;

  @ListParameter(`Children of this major incident. ${INCIDENTS_ONLY}`)
  parentId?: string;

  @ListParameter(`Those linked to this problem. ${INCIDENTS_ONLY}`)
  problemId?: string;

  @ListParameter('The catalogue item. Requests only.')
  catalogItem?: string;
}

const NAME_MESSAGE = `name must be 1-${MAX_NAME_LENGTH} characters on one line, without spaces at either end`;

function Name(options: { optional: boolean }): PropertyDecorator {
  return (target, key) => {
    const schema = {
      minLength: 1,
      maxLength: MAX_NAME_LENGTH,
      pattern: SAVED_QUEUE_NAME.source,
      example: 'Network P1s',
      description: 'Unique among your saved queues, whatever its case.',
    };
    if (options.optional) {
      ApiPropertyOptional(schema)(target, key);
      IsOptional()(target, key);
    } else ApiProperty(schema)(target, key);
    IsString()(target, key);
    MaxLength(MAX_NAME_LENGTH, { message: NAME_MESSAGE })(target, key);
    Matches(SAVED_QUEUE_NAME, { message: NAME_MESSAGE })(target, key);
  };
}

const LIST_DESCRIPTION = 'The record list the queue is over: `GET /api/v1/{list}`.';
const PARAMETERS_DESCRIPTION =
  'The query parameters of the list that make the queue: its filters, `q` and `sort`.';

export class CreateSavedQueueDto {
  @Name({ optional: false })
  name!: string;

  @ApiProperty({ enum: SAVED_QUEUE_LISTS, description: LIST_DESCRIPTION })
  @IsIn(SAVED_QUEUE_LISTS)
  list!: SavedQueueList;

  @ApiPropertyOptional({ type: SavedQueueParametersDto, description: PARAMETERS_DESCRIPTION })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SavedQueueParametersDto)
  parameters?: SavedQueueParametersDto;

  @ApiPropertyOptional({
    type: 'boolean',
    default: false,
    description:
      'Your default queue: the console opens it on `/queue`. Another default stops being one.',
  })
  @IsOptional()
  @IsBoolean()
  isDefault?: boolean;
}

export class UpdateSavedQueueDto {
  @Name({ optional: true })
  name?: string;

  @ApiPropertyOptional({ enum: SAVED_QUEUE_LISTS, description: LIST_DESCRIPTION })
  @IsOptional()
  @IsIn(SAVED_QUEUE_LISTS)
  list?: SavedQueueList;

  @ApiPropertyOptional({
    type: SavedQueueParametersDto,
    description: `${PARAMETERS_DESCRIPTION} Replaces them all.`,
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SavedQueueParametersDto)
  parameters?: SavedQueueParametersDto;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_SAVED_QUEUES_PER_USER - 1,
    description:
      'Moves the queue to this place among yours (0 is the first; past the last is the last); the others keep their order.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_SAVED_QUEUES_PER_USER - 1)
  position?: number;

  @ApiPropertyOptional({
    type: 'boolean',
    description: 'true: make it your default (another default stops being one); false: no longer.',
  })
  @IsOptional()
  @IsBoolean()
  isDefault?: boolean;
}
