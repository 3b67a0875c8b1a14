import {
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} from 'kafkajs';
import {
  UnpublishableEventError,
  describePublishFailure,
  isPermanentPublishFailure,
} from './publish-failures';

const protocolError = (type: string, retriable: boolean) =>
  new KafkaJSProtocolError({ type, code: 0, retriable, message: `${type} from the broker` });

describe('telling a record Kafka will never take from a broker that is away', () => {
  it.each([
    ['a record too large', protocolError('MESSAGE_TOO_LARGE', false)],
    [
      'a refusal wrapped by the producer',
      new KafkaJSNonRetriableError(protocolError('POLICY_VIOLATION', false), {
        cause: protocolError('POLICY_VIOLATION', false),
      }),
    ],
    ['a row that is no event', new UnpublishableEventError('no data')],
  ])('%s is permanent', (_, error) => {
    expect(isPermanentPublishFailure(error)).toBe(true);
  });

  it.each([
    ['a leader moving', protocolError('LEADER_NOT_AVAILABLE', true)],
    [
      'retries used up while the broker was down',
      new KafkaJSNumberOfRetriesExceeded(new Error('Connection error: ECONNREFUSED'), {
        retryCount: 5,
        retryTime: 3000,
      }),
    ],
    ['anything else', new Error('socket hang up')],
  ])('%s is transient', (_, error) => {
    expect(isPermanentPublishFailure(error)).toBe(false);
  });

  it('describes a refusal by the protocol error’s type', () => {
    expect(
      describePublishFailure(
        new KafkaJSNonRetriableError(protocolError('MESSAGE_TOO_LARGE', false), {
          cause: protocolError('MESSAGE_TOO_LARGE', false),
        }),
      ),
    ).toBe('MESSAGE_TOO_LARGE: MESSAGE_TOO_LARGE from the broker');
  });
});
