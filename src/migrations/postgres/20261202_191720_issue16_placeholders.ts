import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "media" ADD COLUMN "placeholder_thumb_hash" varchar;
  ALTER TABLE "media" ADD COLUMN "placeholder_data_url" varchar;
  ALTER TABLE "media" ADD COLUMN "placeholder_dominant_color" varchar;`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "media" DROP COLUMN "placeholder_thumb_hash";
  ALTER TABLE "media" DROP COLUMN "placeholder_data_url";
  ALTER TABLE "media" DROP COLUMN "placeholder_dominant_color";`)
}
