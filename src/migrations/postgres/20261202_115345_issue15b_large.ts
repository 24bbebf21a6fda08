import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE INDEX "posts_status_newest_idx" ON "posts" USING btree ("_status","published_at" DESC NULLS FIRST,"created_at" DESC NULLS FIRST,"id");
  CREATE INDEX "posts_rels_categories_parent_idx" ON "posts_rels" USING btree ("categories_id","parent_id","path");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   DROP INDEX "posts_status_newest_idx";
  DROP INDEX "posts_rels_categories_parent_idx";`)
}
