import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiResponse,
} from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { CurrentCaller, RequirePermission, ROLES, type Caller } from '@itsm/auth';
import { ParseUuidPipe, type Page, CsvExport } from '@itsm/platform';
import { ApiKeyPageResponse } from './api-key.response';
import { ApiKeysService, type ApiKeyView } from '../api-keys.service';

const API_KEY_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

class CreateApiKeyDto {
  /** What the key is for, e.g. `alertmanager-prod`. */
  @ApiProperty({ pattern: API_KEY_NAME.source, example: 'alertmanager-prod' })
  @IsString()
  @Matches(API_KEY_NAME, {
    message: 'name must be 1-63 lower-case letters, digits, dots, dashes or underscores',
  })
  name!: string;

  @ApiProperty({ type: [String], enum: ROLES, minItems: 1, description: 'The roles it acts with.' })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(ROLES, { each: true })
  roles!: string[];

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', maxLength: 100 },
    maxItems: 50,
    description: 'The groups it acts for.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  groups?: string[];
}

@ApiTags('api-keys')
@Controller('api/v1/api-keys')
@RequirePermission('api_key:manage')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create an API key for a machine',
    description: 'The key is in this answer only: store it now.',
  })
  create(
    @Body() body: CreateApiKeyDto,
    @CurrentCaller() caller: Caller,
  ): Promise<ApiKeyView & { key: string }> {
    return this.apiKeys.create(body.name, body.roles, body.groups ?? [], caller.username);
  }

  @Get()
  @ApiOperation({ summary: 'List API keys (never their secrets)' })
  @ApiResponse({ status: 200, type: ApiKeyPageResponse })
  @CsvExport<ApiKeyView>({
    name: 'api-keys',
    columns: [
      'id',
      'name',
      'prefix',
      'roles',
      'groups',
      'createdBy',
      'createdAt',
      'revokedAt',
      'lastUsedAt',
    ],
  })
  async list(): Promise<Page<ApiKeyView>> {
    return { items: await this.apiKeys.list(), nextCursor: null };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key; requests with it are refused from now on' })
  @ApiParam({ name: 'id', format: 'uuid' })
  async revoke(@Param('id', ParseUuidPipe) id: string): Promise<void> {
    await this.apiKeys.revoke(id);
  }
}
