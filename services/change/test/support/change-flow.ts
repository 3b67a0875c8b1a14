import { type RecordsApi } from '@itsm/testing';

const DAY = 24 * 3600 * 1000;

/**
 * A normal change raised by `manager` and moved through assess to `authorize`, planned a
 * week out for an hour, with `fields` on its create: the answer's body.
 */
export async function submittedForAuthorisation<T>(
  manager: RecordsApi,
  fields: object = {},
): Promise<T> {
  const created = await manager
    .create('changes', { title: 'Patch the payment gateway', ...fields })
    .expect(201);
  const id = (created.body as { id: string }).id;
  const start = new Date(Date.now() + 7 * DAY);
  await manager
    .transition('changes', id, { to: 'assess', assignmentGroup: 'applications' })
    .expect(200);
  const asked = await manager
    .transition('changes', id, {
      to: 'authorize',
      plannedStart: start.toISOString(),
      plannedEnd: new Date(start.getTime() + 3600_000).toISOString(),
      implementationPlan: 'Rolling restart',
      backoutPlan: 'Roll back the image',
    })
    .expect(200);
  return asked.body as T;
}
