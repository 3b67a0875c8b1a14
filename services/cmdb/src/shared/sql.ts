import { type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { qualifiedTable } from '@itsm/persistence';

/** `"schema"."table"` of an entity, for the statements written as SQL (bulk writes, graph walks). */
export function tableOf(manager: EntityManager, entity: EntityTarget<ObjectLiteral>): string {
  return qualifiedTable(manager.connection.getMetadata(entity));
}
