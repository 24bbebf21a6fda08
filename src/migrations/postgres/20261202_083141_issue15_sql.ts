import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE INDEX "posts_texts_parent_id_idx" ON "posts_texts" USING btree ("parent_id");
  CREATE INDEX "_posts_v_texts_parent_id_idx" ON "_posts_v_texts" USING btree ("parent_id");
  CREATE INDEX "pages_texts_parent_id_idx" ON "pages_texts" USING btree ("parent_id");
  CREATE INDEX "_pages_v_texts_parent_id_idx" ON "_pages_v_texts" USING btree ("parent_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   DROP INDEX "posts_texts_parent_id_idx";
  DROP INDEX "_posts_v_texts_parent_id_idx";
  DROP INDEX "pages_texts_parent_id_idx";
  DROP INDEX "_pages_v_texts_parent_id_idx";`)
}
