import {
  TEST_DATABASE_MARK,
  UnsafeTestDatabase,
  checkDroppable,
  checkSchemaFallback,
  checkTestDatabaseName,
} from './test-database-guard';

describe('what npm test may drop', () => {
  it('takes itsm_test and itsm_test_<suffix> as the run’s database name, nothing else', () => {
    expect(checkTestDatabaseName('itsm_test')).toBe('itsm_test');
    expect(checkTestDatabaseName('itsm_test_ci_2')).toBe('itsm_test_ci_2');
    for (const name of [
      'itsm',
      'postgres',
      'itsm_test; DROP DATABASE itsm',
      'ITSM_TEST',
      'prod_itsm_test',
    ])
      expect(() => checkTestDatabaseName(name)).toThrow(UnsafeTestDatabase);
  });

  it('drops an existing database only when the harness marked it', () => {
    expect(() => checkDroppable('itsm_test', TEST_DATABASE_MARK)).not.toThrow();
    expect(() => checkDroppable('itsm_test', null)).toThrow(/not created by the test harness/);
    expect(() => checkDroppable('itsm_test', 'customer data')).toThrow(/"customer data"/);
  });

  it('drops schemas in DATABASE_URL’s own database only when it is the test database', () => {
    expect(() =>
      checkSchemaFallback('postgres://u:p@db:5432/itsm_test', 'itsm_test'),
    ).not.toThrow();
    expect(() => checkSchemaFallback('postgres://u:p@db:5432/itsm', 'itsm_test')).toThrow(
      /drop the service schemas of "itsm"/,
    );
  });
});
