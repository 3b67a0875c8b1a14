import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Kafka, type Producer } from 'kafkajs';
import { EventValidator } from '@itsm/contracts';
import { createIdempotentProducer, createKafka } from './kafka/kafka-factory';
import { KafkaInboxServer } from './inbox/kafka-inbox.server';
import { ConsumerGroupWatermark } from './kafka/consumer-group-watermark';
import {
  ConfigurableModuleClass,
  MESSAGING_OPTIONS,
  type MessagingOptions,
} from './messaging.options';
import { OutboxRelay } from './outbox/outbox-relay';
import { OutboxWriter } from './outbox/outbox-writer';

/** Runs the outbox relay inside the service process, from bootstrap until shutdown. */
@Injectable()
export class OutboxRelayRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private producer?: Producer;
  private relay?: OutboxRelay;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.relayEnabled) {
      this.logger.warn('the outbox relay is disabled in this process');
      return;
    }
    this.producer = createIdempotentProducer(this.kafka);
    await this.producer.connect();
    this.relay = new OutboxRelay(this.dataSource, this.producer, this.logger, this.options.relay);
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.relay) return;
    await this.relay.stop();
    await this.producer?.disconnect();
    this.logger.log('outbox relay stopped, its current batch published');
  }

  backlog(): Promise<number> {
    return this.relay ? this.relay.backlog() : Promise.resolve(0);
  }
}

/** Builds the transport that feeds the service's `@EventPattern` handlers through the inbox. */
@Injectable()
export class InboxServerFactory {
  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly validator: EventValidator,
  ) {}

  private created?: KafkaInboxServer;

  /** The service's consumer group. */
  get consumerGroup(): string {
    return this.options.consumerGroup;
  }

  /** The server {@link create} made, once the service has started consuming. */
  get server(): KafkaInboxServer | undefined {
    return this.created;
  }

  create(): KafkaInboxServer {
    this.created = new KafkaInboxServer({
      kafka: this.kafka,
      dataSource: this.dataSource,
      validator: this.validator,
      logger: new Logger(KafkaInboxServer.name),
      consumerGroup: this.options.consumerGroup,
      ...this.options.consumer,
    });
    return this.created;
  }
}

/** Watermarks of the service's own consumer group, for whatever must not overtake its events. */
@Injectable()
export class ConsumerGroupWatermarks {
  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly kafka: Kafka,
  ) {}

  of(topics: readonly string[]): ConsumerGroupWatermark {
    return new ConsumerGroupWatermark(
      this.kafka,
      this.options.consumerGroup,
      topics,
      new Logger(ConsumerGroupWatermark.name),
    );
  }
}

@Global()
@Module({
  providers: [
    { provide: EventValidator, useFactory: () => new EventValidator() },
    {
      provide: Kafka,
      inject: [MESSAGING_OPTIONS],
      useFactory: (options: MessagingOptions) =>
        createKafka(
          {
            brokers: options.brokers,
            clientId: options.serviceName,
            security: options.kafkaSecurity,
          },
          new Logger('kafkajs'),
        ),
    },
    {
      provide: OutboxWriter,
      inject: [MESSAGING_OPTIONS, EventValidator],
      useFactory: (options: MessagingOptions, validator: EventValidator) =>
        new OutboxWriter(options.serviceName, validator),
    },
    OutboxRelayRunner,
    InboxServerFactory,
    ConsumerGroupWatermarks,
  ],
  exports: [
    Kafka,
    EventValidator,
    OutboxWriter,
    OutboxRelayRunner,
    InboxServerFactory,
    ConsumerGroupWatermarks,
  ],
})
export class MessagingModule extends ConfigurableModuleClass {}
