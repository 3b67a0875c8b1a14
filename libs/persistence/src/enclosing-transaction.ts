import { AsyncLocalStorage } from 'node:async_hooks';
import { type DataSource, type EntityManager, type QueryRunner } from 'typeorm';

interface EnclosingTransaction {
  dataSource: DataSource;
  runner: QueryRunner;
}

const enclosing = new AsyncLocalStorage<EnclosingTransaction>();
const joining = new WeakSet<DataSource>();

/**
 * From now on, code running inside {@link inEnclosingTransaction} on `dataSource` gets that
 * transaction's connection for everything it does on the data source: a
 * `dataSource.transaction(...)` becomes a savepoint in it, a repository read sees its
 * uncommitted rows. Outside one, and once it has ended, the data source hands out pool
 * connections as before. TypeORM routes every query through `createQueryRunner`, so this is
 * the one place to hook; the use cases keep calling `dataSource.transaction` unchanged.
 */
function joinEnclosingTransactions(dataSource: DataSource): void {
  if (joining.has(dataSource)) return;
  joining.add(dataSource);
  const fromPool = dataSource.createQueryRunner.bind(dataSource);
  dataSource.createQueryRunner = (mode) => {
    const current = enclosing.getStore();
    return current?.dataSource === dataSource && !current.runner.isReleased
      ? current.runner
      : fromPool(mode);
  };
}

/**
 * Runs `work` and everything it calls on `dataSource` in one transaction on one
 * connection: committed when `work` resolves, rolled back when it throws. For writes that
 * must land together with the business transaction they wrap, which the wrapped code opens
 * on its own (an `Idempotency-Key` and the create it guards). Nested, it becomes a
 * savepoint of the transaction around it.
 */
export async function inEnclosingTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  joinEnclosingTransactions(dataSource);
  if (enclosing.getStore()?.dataSource === dataSource) return dataSource.transaction(work);
  const runner = dataSource.createQueryRunner();
  const releaseConnection = runner.release.bind(runner);
  // The wrapped code releases "its" runner when its own transaction ends; the connection
  // must stay ours until the enclosing transaction is over.
  runner.release = () => Promise.resolve();
  try {
    await runner.startTransaction();
    const result = await enclosing.run({ dataSource, runner }, () => work(runner.manager));
    await runner.commitTransaction();
    return result;
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await releaseConnection();
  }
}
