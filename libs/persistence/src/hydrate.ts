import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * An entity from a row read by hand-written SQL (`SELECT a.*`, or one element of a `json_agg` of
 * rows), each column converted exactly as TypeORM converts its own reads. Hand-written SQL lets one
 * statement read an application together with what surrounds it, where the repositories would
 * take a round trip each; this keeps the entity the rest of the code expects.
 */
export function hydrate<T extends ObjectLiteral>(
  m: Pick<EntityManager, 'connection'>,
  target: EntityTarget<T>,
  row: Record<string, unknown>,
): T {
  const meta = m.connection.getMetadata(target);
  const entity = meta.create() as T;
  for (const column of meta.columns)
    column.setEntityValue(entity, m.connection.driver.prepareHydratedValue(row[column.databaseName], column));
  return entity;
}
