import { ApiProperty } from '@nestjs/swagger';
import {
  MAX_NAME_LENGTH,
  MAX_SAVED_QUEUES_PER_USER,
  SAVED_QUEUE_LISTS,
} from '../domain/saved-queue';
import { SavedQueueParametersDto } from './saved-queue.requests';

/** Documentation of a saved queue as the API answers it. */
export class SavedQueueResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ minLength: 1, maxLength: MAX_NAME_LENGTH, example: 'Network P1s' })
  name!: string;

  @ApiProperty({ enum: SAVED_QUEUE_LISTS })
  list!: string;

  @ApiProperty({
    type: SavedQueueParametersDto,
    description: 'The query parameters of the list, by name.',
  })
  parameters!: Record<string, string>;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: MAX_SAVED_QUEUES_PER_USER - 1,
    description: 'Its place among your queues, from 0.',
  })
  position!: number;

  @ApiProperty({ description: 'Your default queue (at most one).' })
  isDefault!: boolean;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: 'Goes up with every change, its position included; the `ETag`.',
  })
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class SavedQueuePageResponse {
  @ApiProperty({ type: [SavedQueueResponse], maxItems: MAX_SAVED_QUEUES_PER_USER })
  items!: SavedQueueResponse[];

  @ApiProperty({ type: 'string', nullable: true, description: 'Always null: one page.' })
  nextCursor!: string | null;
}
