import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_site_settings_urls_locale_paths" AS ENUM('prefix-others', 'prefix-all');
  ALTER TABLE "site_settings" ADD COLUMN "urls_post_path" varchar DEFAULT '/posts/:slug' NOT NULL;
  ALTER TABLE "site_settings" ADD COLUMN "urls_page_path" varchar DEFAULT '/:slug' NOT NULL;
  ALTER TABLE "site_settings" ADD COLUMN "urls_category_path" varchar DEFAULT '/categories/:slug' NOT NULL;
  ALTER TABLE "site_settings" ADD COLUMN "urls_home_page_id" integer;
  ALTER TABLE "site_settings" ADD COLUMN "urls_locale_paths" "enum_site_settings_urls_locale_paths" DEFAULT 'prefix-others' NOT NULL;
  ALTER TABLE "site_settings" ADD CONSTRAINT "site_settings_urls_home_page_id_pages_id_fk" FOREIGN KEY ("urls_home_page_id") REFERENCES "public"."pages"("id") ON DELETE set null ON UPDATE no action;
  CREATE INDEX "site_settings_urls_urls_home_page_idx" ON "site_settings" USING btree ("urls_home_page_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "site_settings" DROP CONSTRAINT "site_settings_urls_home_page_id_pages_id_fk";
  
  DROP INDEX "site_settings_urls_urls_home_page_idx";
  ALTER TABLE "site_settings" DROP COLUMN "urls_post_path";
  ALTER TABLE "site_settings" DROP COLUMN "urls_page_path";
  ALTER TABLE "site_settings" DROP COLUMN "urls_category_path";
  ALTER TABLE "site_settings" DROP COLUMN "urls_home_page_id";
  ALTER TABLE "site_settings" DROP COLUMN "urls_locale_paths";
  DROP TYPE "public"."enum_site_settings_urls_locale_paths";`)
}
