import { Module } from '@nestjs/common';
import { LiveFeed } from './application/live-feed';
import { LiveStreams } from './application/live-streams';
import { LiveController } from './http/live.controller';

/**
 * Live updates (docs/console.md): the record events on Kafka, filtered by the record-level
 * rule, as server-sent events to the console and any other client.
 */
@Module({ controllers: [LiveController], providers: [LiveStreams, LiveFeed] })
export class LiveModule {}
