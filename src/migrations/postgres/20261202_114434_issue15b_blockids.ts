import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

import { storeBlockIds } from '../storeBlockIds'

export async function up({ db }: MigrateUpArgs): Promise<void> {
  await storeBlockIds({
    rows: async (statement) => (await db.execute(sql.raw(statement))).rows,
    store: (table, column, id, json) =>
      db.execute(sql`UPDATE ${sql.identifier(table)} SET ${sql.identifier(column)} = ${json}::jsonb WHERE "id" = ${id}`),
  })
}

// The ids stay: blocks with an id are what every save makes now, and an id read back is what a reader saw before.
export async function down(_args: MigrateDownArgs): Promise<void> {}
