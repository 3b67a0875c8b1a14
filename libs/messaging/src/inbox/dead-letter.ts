import { type IHeaders, type KafkaMessage, type Producer } from 'kafkajs';
import { deadLetterTopic } from '@itsm/contracts';
import { describeError } from '../logger';

/** Headers a dead-lettered record carries, beside all of the original record's headers. */
export const DeadLetterHeaders = {
  errorType: 'x-dlq-error-type',
  errorMessage: 'x-dlq-error-message',
  originalTopic: 'x-dlq-original-topic',
  originalPartition: 'x-dlq-original-partition',
  originalOffset: 'x-dlq-original-offset',
  consumerGroup: 'x-dlq-consumer-group',
  attempts: 'x-dlq-attempts',
  failedAt: 'x-dlq-failed-at',
} as const;

export interface DeadLetter {
  consumerGroup: string;
  topic: string;
  partition: number;
  message: KafkaMessage;
  error: unknown;
  attempts: number;
}

/** Sends a record that cannot be applied to its consumer group's dead-letter topic, unchanged, with the error beside it. */
export async function sendToDeadLetterTopic(producer: Producer, letter: DeadLetter): Promise<void> {
  const { name, message } = describeError(letter.error);
  const headers: IHeaders = {
    ...letter.message.headers,
    [DeadLetterHeaders.errorType]: name,
    [DeadLetterHeaders.errorMessage]: message.slice(0, 4000),
    [DeadLetterHeaders.originalTopic]: letter.topic,
    [DeadLetterHeaders.originalPartition]: String(letter.partition),
    [DeadLetterHeaders.originalOffset]: letter.message.offset,
    [DeadLetterHeaders.consumerGroup]: letter.consumerGroup,
    [DeadLetterHeaders.attempts]: String(letter.attempts),
    [DeadLetterHeaders.failedAt]: new Date().toISOString(),
  };
  await producer.send({
    topic: deadLetterTopic(letter.consumerGroup),
    messages: [{ key: letter.message.key, value: letter.message.value, headers }],
  });
}
