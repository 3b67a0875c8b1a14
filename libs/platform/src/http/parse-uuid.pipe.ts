import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { ValidationProblem } from '../errors/problem';

/**
 * A path or query parameter that must be a UUID: anything else is a 400 problem naming
 * the parameter (`id`), like every other field error, rather than Nest's bare message.
 */
@Injectable()
export class ParseUuidPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (typeof value === 'string' && isUUID(value)) return value;
    throw new ValidationProblem([{ field: metadata.data ?? 'id', message: 'must be a UUID' }]);
  }
}
