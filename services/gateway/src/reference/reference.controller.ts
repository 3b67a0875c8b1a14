import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { Public } from '@itsm/auth';
import { type AsyncApiDocument } from '@itsm/contracts';
import { ProblemException, type OpenApiDocument } from '@itsm/platform';
import { ApiReferenceService } from './api-reference.service';
import { DOCS_PAGE, INIT_SCRIPT, INIT_SCRIPT_NAME, SWAGGER_UI_FILES } from './docs-page';

const ONE_DAY_SECONDS = 86_400;

/** The API's reference documents and the page to browse them; public, like the API's description should be. */
@ApiTags('reference')
@Controller()
@Public()
export class ReferenceController {
  constructor(private readonly reference: ApiReferenceService) {}

  @Get('api/v1/openapi.json')
  @ApiOperation({
    summary: 'This document: the public HTTP API (OpenAPI 3.1)',
    description:
      'Merged from the gateway and every service, each generated from its code. A service that does not answer is left out and named in `x-unavailable-services`.',
  })
  @ApiResponse({
    status: 200,
    description: 'An OpenAPI 3.1 document.',
    content: { 'application/json': { schema: { type: 'object' } } },
  })
  openApi(): Promise<OpenApiDocument> {
    return this.reference.openApiDocument();
  }

  @Get('api/v1/asyncapi.json')
  @ApiOperation({
    summary: 'The events the platform publishes on Kafka (AsyncAPI 3.0)',
    description:
      'Generated from `libs/contracts`: a channel per topic, a message per event type with its JSON Schema and CloudEvents headers, and the dead-letter topics.',
  })
  @ApiResponse({
    status: 200,
    description: 'An AsyncAPI 3.0 document.',
    content: { 'application/json': { schema: { type: 'object' } } },
  })
  asyncApi(): AsyncApiDocument {
    return this.reference.asyncApiDocument();
  }

  @Get('docs')
  @ApiExcludeEndpoint()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-cache')
  docs(): string {
    return DOCS_PAGE;
  }

  @Get('docs/assets/:file')
  @ApiExcludeEndpoint()
  asset(@Param('file') file: string, @Res() response: Response): void {
    if (file === INIT_SCRIPT_NAME) {
      response.type('text/javascript').setHeader('cache-control', 'no-cache').send(INIT_SCRIPT);
      return;
    }
    const path = Object.hasOwn(SWAGGER_UI_FILES, file) ? SWAGGER_UI_FILES[file] : undefined;
    if (!path) {
      throw new ProblemException(404, 'not-found', 'Not Found', `There is no asset ${file}.`);
    }
    response.sendFile(path, { maxAge: ONE_DAY_SECONDS * 1000 });
  }
}
