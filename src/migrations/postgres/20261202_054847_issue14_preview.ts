import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "site_settings" ADD COLUMN "urls_preview_url" varchar;
  ALTER TABLE "_site_settings_v" ADD COLUMN "version_urls_preview_url" varchar;`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "site_settings" DROP COLUMN "urls_preview_url";
  ALTER TABLE "_site_settings_v" DROP COLUMN "version_urls_preview_url";`)
}
