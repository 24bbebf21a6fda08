import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-sqlite'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.run(sql`CREATE INDEX \`posts_texts_parent_id_idx\` ON \`posts_texts\` (\`parent_id\`);`)
  await db.run(sql`CREATE INDEX \`_posts_v_texts_parent_id_idx\` ON \`_posts_v_texts\` (\`parent_id\`);`)
  await db.run(sql`CREATE INDEX \`pages_texts_parent_id_idx\` ON \`pages_texts\` (\`parent_id\`);`)
  await db.run(sql`CREATE INDEX \`_pages_v_texts_parent_id_idx\` ON \`_pages_v_texts\` (\`parent_id\`);`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.run(sql`DROP INDEX \`posts_texts_parent_id_idx\`;`)
  await db.run(sql`DROP INDEX \`_posts_v_texts_parent_id_idx\`;`)
  await db.run(sql`DROP INDEX \`pages_texts_parent_id_idx\`;`)
  await db.run(sql`DROP INDEX \`_pages_v_texts_parent_id_idx\`;`)
}
