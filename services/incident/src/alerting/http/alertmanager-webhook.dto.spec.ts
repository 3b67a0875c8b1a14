import { createValidationPipe, ValidationProblem } from '@itsm/platform';
import { capturedNotification } from '../domain/alertmanager-payload.fixture';
import { AlertmanagerWebhookDto } from './alertmanager-webhook.dto';

describe('AlertmanagerWebhookDto', () => {
  const pipe = createValidationPipe();
  const validate = (value: unknown) =>
    pipe.transform(value, { type: 'body', metatype: AlertmanagerWebhookDto });
  const faultyFields = async (value: unknown) => {
    const error = (await validate(value).catch((caught: unknown) => caught)) as ValidationProblem;
    expect(error).toBeInstanceOf(ValidationProblem);
    return [...new Set(error.fieldErrors.map((fieldError) => fieldError.field))].sort();
  };

  it('accepts what a real Alertmanager sends, labels and annotations kept whole', async () => {
    const notification = capturedNotification();
    await expect(validate(notification)).resolves.toEqual(notification);
  });

  it('refuses another payload version, naming the field', async () => {
    expect(await faultyFields({ ...capturedNotification(), version: '3' })).toEqual(['version']);
  });

  it('names the faulty field of a nested alert by its path', async () => {
    const notification = capturedNotification();
    const [alert] = notification.alerts;
    const { fingerprint: _fingerprint, ...withoutFingerprint } = alert;
    expect(
      await faultyFields({
        ...notification,
        alerts: [withoutFingerprint, { ...alert, status: 'pending', labels: { severity: 2 } }],
      }),
    ).toEqual(['alerts[0].fingerprint', 'alerts[1].labels', 'alerts[1].status']);
  });
});
