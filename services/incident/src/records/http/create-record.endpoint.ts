import { HttpCode, Post, applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { type RecordType } from '@itsm/contracts';
import { RequirePermission } from '@itsm/auth';
import { ApiProblemResponses, Idempotent } from '@itsm/platform';
import { RecordResponse } from './dto/record.response';

/** What a record type's create endpoint is: POST, 201 with Location, idempotent, documented. */
export function CreateRecordEndpoint(
  type: RecordType,
  operation: { summary: string; description: string },
): MethodDecorator {
  return applyDecorators(
    Post(),
    HttpCode(201),
    ApiOperation(operation),
    ApiResponse({
      status: 201,
      type: RecordResponse,
      headers: {
        Location: { description: `The URL of the new ${type}.`, schema: { type: 'string' } },
      },
    }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Retrying with the same key within 24 hours returns the first answer and creates nothing.',
    }),
    ApiProblemResponses(400, 403, 409, 422),
    RequirePermission(`${type}:create`),
    Idempotent(),
  );
}
