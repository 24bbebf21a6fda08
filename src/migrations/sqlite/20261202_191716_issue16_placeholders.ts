import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-sqlite'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.run(sql`ALTER TABLE \`media\` ADD \`placeholder_thumb_hash\` text;`)
  await db.run(sql`ALTER TABLE \`media\` ADD \`placeholder_data_url\` text;`)
  await db.run(sql`ALTER TABLE \`media\` ADD \`placeholder_dominant_color\` text;`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.run(sql`ALTER TABLE \`media\` DROP COLUMN \`placeholder_thumb_hash\`;`)
  await db.run(sql`ALTER TABLE \`media\` DROP COLUMN \`placeholder_data_url\`;`)
  await db.run(sql`ALTER TABLE \`media\` DROP COLUMN \`placeholder_dominant_color\`;`)
}
