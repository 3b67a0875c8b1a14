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

// As kafkajs builds them from a broker's error code (its typings name only the message).
const protocolError = (type: string, retriable: boolean) =>
  new KafkaJSProtocolError(
    Object.assign(new Error(`${type} from the broker`), { type, code: 0, retriable }),
  );
/** As the producer's retrier wraps an error it will not retry. */
const wrapped = (cause: Error) => Object.assign(new KafkaJSNonRetriableError(cause), { cause });

describe('telling a record Kafka will never take from a broker that is away', () => {
  it.each([
    ['a record too large', protocolError('MESSAGE_TOO_LARGE', false)],
    ['a refusal wrapped by the producer', wrapped(protocolError('POLICY_VIOLATION', false))],
    ['a row that is no event', new UnpublishableEventError('no data')],
  ])('%s is permanent', (_, error) => {
    expect(isPermanentPublishFailure(error)).toBe(true);
  });

  it.each([
    ['a leader moving', protocolError('LEADER_NOT_AVAILABLE', true)],
    [
      'retries used up while the broker was down',
      wrapped(
        new KafkaJSNumberOfRetriesExceeded(new Error('Connection error: ECONNREFUSED'), {
          retryCount: 5,
          retryTime: 3000,
        }),
      ),
    ],
    ['anything else', new Error('socket hang up')],
  ])('%s is transient', (_, error) => {
    expect(isPermanentPublishFailure(error)).toBe(false);
  });

  it('describes a refusal by the protocol error’s type', () => {
    expect(describePublishFailure(wrapped(protocolError('MESSAGE_TOO_LARGE', false)))).toBe(
      'MESSAGE_TOO_LARGE: MESSAGE_TOO_LARGE from the broker',
    );
  });
});
