import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE INDEX "posts_locales_parent_id_idx" ON "posts_locales" USING btree ("_parent_id");
  CREATE INDEX "_posts_v_locales_parent_id_idx" ON "_posts_v_locales" USING btree ("_parent_id");
  CREATE INDEX "pages_hero_links_locales_parent_id_idx" ON "pages_hero_links_locales" USING btree ("_parent_id");
  CREATE INDEX "pages_blocks_content_columns_locales_parent_id_idx" ON "pages_blocks_content_columns_locales" USING btree ("_parent_id");
  CREATE INDEX "pages_blocks_cta_links_locales_parent_id_idx" ON "pages_blocks_cta_links_locales" USING btree ("_parent_id");
  CREATE INDEX "pages_blocks_cta_locales_parent_id_idx" ON "pages_blocks_cta_locales" USING btree ("_parent_id");
  CREATE INDEX "pages_blocks_archive_locales_parent_id_idx" ON "pages_blocks_archive_locales" USING btree ("_parent_id");
  CREATE INDEX "pages_blocks_form_block_locales_parent_id_idx" ON "pages_blocks_form_block_locales" USING btree ("_parent_id");
  CREATE INDEX "pages_locales_parent_id_idx" ON "pages_locales" USING btree ("_parent_id");
  CREATE INDEX "_pages_v_version_hero_links_locales_parent_id_idx" ON "_pages_v_version_hero_links_locales" USING btree ("_parent_id");
  CREATE INDEX "_pages_v_blocks_content_columns_locales_parent_id_idx" ON "_pages_v_blocks_content_columns_locales" USING btree ("_parent_id");
  CREATE INDEX "_pages_v_blocks_cta_links_locales_parent_id_idx" ON "_pages_v_blocks_cta_links_locales" USING btree ("_parent_id");
  CREATE INDEX "_pages_v_blocks_cta_locales_parent_id_idx" ON "_pages_v_blocks_cta_locales" USING btree ("_parent_id");
  CREATE INDEX "_pages_v_blocks_archive_locales_parent_id_idx" ON "_pages_v_blocks_archive_locales" USING btree ("_parent_id");
  CREATE INDEX "_pages_v_blocks_form_block_locales_parent_id_idx" ON "_pages_v_blocks_form_block_locales" USING btree ("_parent_id");
  CREATE INDEX "_pages_v_locales_parent_id_idx" ON "_pages_v_locales" USING btree ("_parent_id");
  CREATE INDEX "forms_blocks_checkbox_locales_parent_id_idx" ON "forms_blocks_checkbox_locales" USING btree ("_parent_id");
  CREATE INDEX "forms_blocks_country_locales_parent_id_idx" ON "forms_blocks_country_locales" USING btree ("_parent_id");
  CREATE INDEX "forms_blocks_email_locales_parent_id_idx" ON "forms_blocks_email_locales" USING btree ("_parent_id");
  CREATE INDEX "forms_blocks_message_locales_parent_id_idx" ON "forms_blocks_message_locales" USING btree ("_parent_id");
  CREATE INDEX "forms_blocks_number_locales_parent_id_idx" ON "forms_blocks_number_locales" USING btree ("_parent_id");
  CREATE INDEX "forms_blocks_select_options_locales_parent_id_idx" ON "forms_blocks_select_options_locales" USING btree ("_parent_id");
  CREATE INDEX "forms_blocks_select_locales_parent_id_idx" ON "forms_blocks_select_locales" USING btree ("_parent_id");
  CREATE INDEX "forms_blocks_state_locales_parent_id_idx" ON "forms_blocks_state_locales" USING btree ("_parent_id");
  CREATE INDEX "forms_blocks_text_locales_parent_id_idx" ON "forms_blocks_text_locales" USING btree ("_parent_id");
  CREATE INDEX "forms_blocks_textarea_locales_parent_id_idx" ON "forms_blocks_textarea_locales" USING btree ("_parent_id");
  CREATE INDEX "forms_emails_locales_parent_id_idx" ON "forms_emails_locales" USING btree ("_parent_id");
  CREATE INDEX "forms_locales_parent_id_idx" ON "forms_locales" USING btree ("_parent_id");
  CREATE INDEX "search_locales_parent_id_idx" ON "search_locales" USING btree ("_parent_id");
  CREATE INDEX "header_nav_items_locales_parent_id_idx" ON "header_nav_items_locales" USING btree ("_parent_id");
  CREATE INDEX "footer_nav_items_locales_parent_id_idx" ON "footer_nav_items_locales" USING btree ("_parent_id");
  CREATE INDEX "footer_locales_parent_id_idx" ON "footer_locales" USING btree ("_parent_id");
  CREATE INDEX "site_settings_locales_parent_id_idx" ON "site_settings_locales" USING btree ("_parent_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   DROP INDEX "posts_locales_parent_id_idx";
  DROP INDEX "_posts_v_locales_parent_id_idx";
  DROP INDEX "pages_hero_links_locales_parent_id_idx";
  DROP INDEX "pages_blocks_content_columns_locales_parent_id_idx";
  DROP INDEX "pages_blocks_cta_links_locales_parent_id_idx";
  DROP INDEX "pages_blocks_cta_locales_parent_id_idx";
  DROP INDEX "pages_blocks_archive_locales_parent_id_idx";
  DROP INDEX "pages_blocks_form_block_locales_parent_id_idx";
  DROP INDEX "pages_locales_parent_id_idx";
  DROP INDEX "_pages_v_version_hero_links_locales_parent_id_idx";
  DROP INDEX "_pages_v_blocks_content_columns_locales_parent_id_idx";
  DROP INDEX "_pages_v_blocks_cta_links_locales_parent_id_idx";
  DROP INDEX "_pages_v_blocks_cta_locales_parent_id_idx";
  DROP INDEX "_pages_v_blocks_archive_locales_parent_id_idx";
  DROP INDEX "_pages_v_blocks_form_block_locales_parent_id_idx";
  DROP INDEX "_pages_v_locales_parent_id_idx";
  DROP INDEX "forms_blocks_checkbox_locales_parent_id_idx";
  DROP INDEX "forms_blocks_country_locales_parent_id_idx";
  DROP INDEX "forms_blocks_email_locales_parent_id_idx";
  DROP INDEX "forms_blocks_message_locales_parent_id_idx";
  DROP INDEX "forms_blocks_number_locales_parent_id_idx";
  DROP INDEX "forms_blocks_select_options_locales_parent_id_idx";
  DROP INDEX "forms_blocks_select_locales_parent_id_idx";
  DROP INDEX "forms_blocks_state_locales_parent_id_idx";
  DROP INDEX "forms_blocks_text_locales_parent_id_idx";
  DROP INDEX "forms_blocks_textarea_locales_parent_id_idx";
  DROP INDEX "forms_emails_locales_parent_id_idx";
  DROP INDEX "forms_locales_parent_id_idx";
  DROP INDEX "search_locales_parent_id_idx";
  DROP INDEX "header_nav_items_locales_parent_id_idx";
  DROP INDEX "footer_nav_items_locales_parent_id_idx";
  DROP INDEX "footer_locales_parent_id_idx";
  DROP INDEX "site_settings_locales_parent_id_idx";`)
}
