import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-sqlite'

import { copyMediaTextBackIntoColumns, copyMediaTextIntoDefaultLocale } from '../localizeMediaText'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.run(sql`CREATE TABLE \`media_locales\` (
  	\`alt\` text NOT NULL,
  	\`caption\` text,
  	\`id\` integer PRIMARY KEY NOT NULL,
  	\`_locale\` text NOT NULL,
  	\`_parent_id\` integer NOT NULL,
  	FOREIGN KEY (\`_parent_id\`) REFERENCES \`media\`(\`id\`) ON UPDATE no action ON DELETE cascade
  );
  `)
  await db.run(sql`CREATE UNIQUE INDEX \`media_locales_locale_parent_id_unique\` ON \`media_locales\` (\`_locale\`,\`_parent_id\`);`)
  await db.run(sql`CREATE INDEX \`media_locales_parent_id_idx\` ON \`media_locales\` (\`_parent_id\`);`)
  // Hand-added: the stored texts become English before their columns go (src/migrations/localizeMediaText.ts).
  await copyMediaTextIntoDefaultLocale((statement) => db.run(sql.raw(statement)))
  await db.run(sql`ALTER TABLE \`media\` DROP COLUMN \`alt\`;`)
  await db.run(sql`ALTER TABLE \`media\` DROP COLUMN \`caption\`;`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  // Hand-edited: SQLite adds a NOT NULL column to a table with rows only with a default, so alt
  // comes back with '' and then takes the English texts, before `media_locales` goes.
  await db.run(sql`ALTER TABLE \`media\` ADD \`alt\` text DEFAULT '' NOT NULL;`)
  await db.run(sql`ALTER TABLE \`media\` ADD \`caption\` text;`)
  await copyMediaTextBackIntoColumns((statement) => db.run(sql.raw(statement)))
  await db.run(sql`DROP TABLE \`media_locales\`;`)
}
