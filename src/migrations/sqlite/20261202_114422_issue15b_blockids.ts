import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-sqlite'

import { storeBlockIds } from '../storeBlockIds'

export async function up({ db }: MigrateUpArgs): Promise<void> {
  await storeBlockIds({
    rows: (statement) => db.all(sql.raw(statement)),
    store: (table, column, id, json) =>
      db.run(sql`UPDATE ${sql.identifier(table)} SET ${sql.identifier(column)} = ${json} WHERE "id" = ${id}`),
  })
}

// The ids stay: blocks with an id are what every save makes now, and an id read back is what a reader saw before.
export async function down(_args: MigrateDownArgs): Promise<void> {}
