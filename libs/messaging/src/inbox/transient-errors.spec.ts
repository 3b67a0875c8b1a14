import { isTransientInfrastructureError } from './transient-errors';

describe('telling a database outage from a bad message', () => {
  it.each([
    ['connection failure', { code: '08006', message: 'connection failure' }],
    [
      'server shutting down',
      { code: '57P01', message: 'terminating connection due to administrator command' },
    ],
    ['too many connections', { code: '53300', message: 'too many clients' }],
    ['refused socket', { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }],
    ['pool lost its connection', new Error('Connection terminated unexpectedly')],
  ])('%s is transient', (_, error) => {
    expect(isTransientInfrastructureError(error)).toBe(true);
  });

  it.each([
    ['unique violation', { code: '23505', message: 'duplicate key value' }],
    ['a bug in a handler', new TypeError('cannot read properties of undefined')],
    ['not an error at all', 'oops'],
  ])('%s is not', (_, error) => {
    expect(isTransientInfrastructureError(error)).toBe(false);
  });
});
