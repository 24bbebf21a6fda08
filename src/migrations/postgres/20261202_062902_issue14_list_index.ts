import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   DROP INDEX "_status_deletedAt_publishedAt_createdAt_idx";
  DROP INDEX "compound_index_idx";
  CREATE INDEX "_status_publishedAt_createdAt_deletedAt_idx" ON "posts" USING btree ("_status","published_at","created_at","deleted_at");
  CREATE INDEX "compound_index_idx" ON "_posts_v" USING btree ("version__status","version_published_at","version_created_at","version_deleted_at");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   DROP INDEX "_status_publishedAt_createdAt_deletedAt_idx";
  DROP INDEX "compound_index_idx";
  CREATE INDEX "_status_deletedAt_publishedAt_createdAt_idx" ON "posts" USING btree ("_status","deleted_at","published_at","created_at");
  CREATE INDEX "compound_index_idx" ON "_posts_v" USING btree ("version__status","version_deleted_at","version_published_at","version_created_at");`)
}
