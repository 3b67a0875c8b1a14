import { type EntityManager } from 'typeorm';
import {
  canSeeConfigurationItem,
  configurationItemCondition,
  UNRESTRICTED,
  type Caller,
  type SqlCondition,
} from '@itsm/auth';
import { NotFoundProblem } from '@itsm/platform';
import { CiEntity } from '../cis/persistence/ci.entity';
import { tableOf } from './sql';

/**
 * A CI the caller may not see is answered as one that does not exist (404), so that a
 * restricted CI's existence does not leak through a read by id.
 */
export function assertVisibleCi<T extends { restricted: boolean; ownerGroup: string | null }>(
  caller: Caller,
  id: string,
  ci: T | null,
): T {
  if (!ci || !canSeeConfigurationItem(caller, ci)) throw new NotFoundProblem('CI', id);
  return ci;
}

/**
 * A condition that holds unless the CI `idExpression` names is one the caller may not see:
 * for rows that refer to CIs (relationships, history entries), which disappear with the
 * restricted CI they mention. `alias` must be unique within the query.
 */
export function referencedCiVisible(
  manager: EntityManager,
  caller: Caller,
  idExpression: string,
  alias: string,
): SqlCondition {
  const visible = configurationItemCondition(
    caller,
    { restricted: `${alias}.restricted`, ownerGroup: `${alias}.owner_group` },
    alias,
  );
  if (visible === UNRESTRICTED) return visible;
  return {
    sql: `NOT EXISTS (SELECT 1 FROM ${tableOf(manager, CiEntity)} AS ${alias}
                       WHERE ${alias}.id = ${idExpression} AND NOT ${visible.sql})`,
    parameters: visible.parameters,
  };
}
