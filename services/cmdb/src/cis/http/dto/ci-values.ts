import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CI_STATUSES } from '../../domain/ci';
import { CiIdentifiersDto } from './ci-identifiers.dto';

/** The decorators of each CI field, shared by the API's create and change and by the import's items. */
export const CiField = {
  name: () =>
    applyDecorators(
      ApiProperty({ minLength: 1, maxLength: 255, example: 'web01' }),
      IsString(),
      MinLength(1),
      MaxLength(255),
    ),
  class: () =>
    applyDecorators(
      ApiProperty({
        example: 'virtual_server',
        description: 'The name of a CI class (see /api/v1/ci-classes).',
      }),
      IsString(),
      MinLength(1),
      MaxLength(63),
    ),
  status: () =>
    applyDecorators(ApiPropertyOptional({ enum: CI_STATUSES }), IsOptional(), IsIn(CI_STATUSES)),
  nullableText: (example: string) =>
    applyDecorators(
      ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 100, example }),
      IsOptional(),
      ValidateIf((_, value) => value !== null),
      IsString(),
      MaxLength(100),
    ),
  restricted: () =>
    applyDecorators(
      ApiPropertyOptional({
        type: 'boolean',
        description:
          'A restricted CI is seen only by its owner group (`ownerGroup`, then required) and by those who see every record; anyone else gets 404 and does not find it in lists. Setting it needs `cmdb:write`.',
      }),
      IsOptional(),
      IsBoolean(),
    ),
  criticality: () =>
    applyDecorators(
      ApiPropertyOptional({
        type: 'integer',
        nullable: true,
        minimum: 1,
        maximum: 4,
        description: '1 (most critical) .. 4; for business services.',
      }),
      IsOptional(),
      ValidateIf((_, value) => value !== null),
      IsInt(),
      Min(1),
      Max(4),
    ),
  identifiers: () =>
    applyDecorators(
      ApiPropertyOptional({ type: CiIdentifiersDto }),
      IsOptional(),
      ValidateNested(),
      Type(() => CiIdentifiersDto),
    ),
  attributes: (description: string) =>
    applyDecorators(
      ApiPropertyOptional({
        type: 'object',
        additionalProperties: true,
        description,
        example: { os: 'Ubuntu', osVersion: '24.04', cpuCount: 4, memoryMb: 16384 },
      }),
      IsOptional(),
      IsObject(),
    ),
};
