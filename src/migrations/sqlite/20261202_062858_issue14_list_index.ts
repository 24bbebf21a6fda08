import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-sqlite'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.run(sql`DROP INDEX \`_status_deletedAt_publishedAt_createdAt_idx\`;`)
  await db.run(sql`CREATE INDEX \`_status_publishedAt_createdAt_deletedAt_idx\` ON \`posts\` (\`_status\`,\`published_at\`,\`created_at\`,\`deleted_at\`);`)
  await db.run(sql`DROP INDEX \`compound_index_idx\`;`)
  await db.run(sql`CREATE INDEX \`compound_index_idx\` ON \`_posts_v\` (\`version__status\`,\`version_published_at\`,\`version_created_at\`,\`version_deleted_at\`);`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.run(sql`DROP INDEX \`_status_publishedAt_createdAt_deletedAt_idx\`;`)
  await db.run(sql`CREATE INDEX \`_status_deletedAt_publishedAt_createdAt_idx\` ON \`posts\` (\`_status\`,\`deleted_at\`,\`published_at\`,\`created_at\`);`)
  await db.run(sql`DROP INDEX \`compound_index_idx\`;`)
  await db.run(sql`CREATE INDEX \`compound_index_idx\` ON \`_posts_v\` (\`version__status\`,\`version_deleted_at\`,\`version_published_at\`,\`version_created_at\`);`)
}
