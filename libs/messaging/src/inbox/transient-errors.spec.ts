import { isConcurrencyConflict, isTransientInfrastructureError } from './transient-errors';

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

describe('telling a conflict with another transaction from a bad message', () => {
  it.each([
    ['serialization failure', { code: '40001', message: 'could not serialize access' }],
    ['deadlock', { code: '40P01', message: 'deadlock detected' }],
  ])('%s is a conflict, run again', (_, error) => {
    expect(isConcurrencyConflict(error)).toBe(true);
  });

  it.each([
    ['unique violation', { code: '23505', message: 'duplicate key value' }],
    ['connection failure', { code: '08006', message: 'connection failure' }],
    ['a bug in a handler', new TypeError('cannot read properties of undefined')],
  ])('%s is not', (_, error) => {
    expect(isConcurrencyConflict(error)).toBe(false);
  });
});
