import { Controller, Get, Req, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { type Request, type Response } from 'express';
import { decodeJwt } from 'jose';
import { CurrentCaller, type Caller } from '@itsm/auth';
import { ApiProblemResponses, ProblemException } from '@itsm/platform';
import { LiveFeed } from '../application/live-feed';
import { LiveStreams } from '../application/live-streams';
import { LIVE_RECORD_TYPES, type LiveChange, type LiveRecordType } from '../domain/live-change';
import { RECONNECT_DELAY_MS } from './sse-connection';

/** Documentation only: the data of a `change` event. */
class LiveChangeView implements LiveChange {
  @ApiProperty({ enum: LIVE_RECORD_TYPES })
  recordType!: LiveRecordType;

  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'INC0001234' })
  number!: string;

  @ApiProperty({ description: 'The state after the change.', example: 'in_progress' })
  state!: string;

  @ApiProperty({ type: 'integer', description: 'The record version after the change (its ETag).' })
  version!: number;

  @ApiProperty({
    description:
      'What happened: `created`, `updated`, `assigned`, `state_changed`, `priority_changed`, `resolved`, `closed`, `reopened`, `major_declared`, `fulfilled`. One change can send several.',
    example: 'state_changed',
  })
  event!: string;

  @ApiProperty({ type: [String], description: 'The names of the fields the change set.' })
  changedFields!: string[];

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

/** The bearer token's expiry (ms), which the stream must not outlive; none for an API key. */
function tokenExpiry(request: Request): number | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(request.header('authorization') ?? '');
  if (!match) return undefined;
  try {
    // Already verified by the authentication guard: only its expiry is read here.
    const { exp } = decodeJwt(match[1]);
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

@ApiTags('live')
@ApiExtraModels(LiveChangeView)
@Controller('api/v1/stream')
export class LiveController {
  constructor(
    private readonly streams: LiveStreams,
    private readonly feed: LiveFeed,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Live updates: changes to the incidents, requests, problems and changes the caller may see',
    description: [
      'A `text/event-stream` (server-sent events) of the changes made to incidents, service requests, problems and changes from now on, fed by the Kafka events through the gateway. Authenticated like every call: `Authorization: Bearer <token>` (read it with `fetch`; the browser `EventSource` cannot send the header, and a token in the URL would end up in logs).',
      '',
      'Each change the caller may see — the same rule as a read by id: the read permission of the type (`incident:read`, `request:read`, `problem:read`, `change:read`), then for incidents, requests and problems the record-level rule applied to the record as the change left it (changes have none) — is an event `change` whose data is a `LiveChangeView`: which record, its state and version, what happened. Never its content: read the record for that. `ready` says the stream is following the events: no change after it is missed while the stream stays open.',
      '',
      `A live feed, not a ledger: nothing is replayed. After a reconnect (the stream asks for ${RECONNECT_DELAY_MS / 1000} s with \`retry\`) a client reads its records again. The stream ends when the token expires or after \`LIVE_MAX_STREAM_SECONDS\`, when the client stops reading (\`LIVE_MAX_BUFFERED_BYTES\`), and when the gateway shuts down; a comment line is sent after \`LIVE_HEARTBEAT_SECONDS\` of silence. Per user at most \`LIVE_MAX_STREAMS_PER_USER\` streams are open on a replica.`,
    ].join('\n'),
  })
  @ApiProduces('text/event-stream')
  @ApiResponse({
    status: 200,
    description: `Events \`ready\` (data \`{}\`) and \`change\` (data: [LiveChangeView](${getSchemaPath(LiveChangeView)})), as server-sent events.`,
    content: {
      'text/event-stream': {
        schema: { type: 'string' },
        example:
          'retry: 3000\n\nevent: ready\ndata: {}\n\nevent: change\ndata: {"recordType":"incident","id":"6f1c1e36-62f8-4a54-9b7e-1f8ab0f0b2a1","number":"INC0001234","state":"in_progress","version":2,"event":"state_changed","changedFields":["state"],"at":"2026-01-05T09:30:00.000Z"}\n\n',
      },
    },
  })
  @ApiProblemResponses(
    401,
    {
      status: 429,
      description: 'The caller already holds `LIVE_MAX_STREAMS_PER_USER` streams on this replica.',
    },
    {
      status: 503,
      description: 'This replica holds `LIVE_MAX_STREAMS` streams: retry after `Retry-After`.',
    },
  )
  async open(
    @CurrentCaller() caller: Caller,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const opened = this.streams.open(caller, response, tokenExpiry(request));
    if (opened === 'too-many-for-user') {
      throw new ProblemException(
        429,
        'too-many-streams',
        'Too many live streams',
        'You hold as many live update streams as one user may; close one (another tab) first.',
      );
    }
    if (opened === 'too-many') {
      response.setHeader('Retry-After', String(RECONNECT_DELAY_MS / 1000));
      throw new ProblemException(
        503,
        'live-streams-full',
        'Live updates unavailable',
        'This gateway holds as many live update streams as it may; retry later.',
      );
    }
    await this.feed.ready;
    opened.send('ready', {});
  }
}
