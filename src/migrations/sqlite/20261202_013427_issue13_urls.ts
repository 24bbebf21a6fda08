import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-sqlite'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.run(sql`ALTER TABLE \`site_settings\` ADD \`urls_post_path\` text DEFAULT '/posts/:slug' NOT NULL;`)
  await db.run(sql`ALTER TABLE \`site_settings\` ADD \`urls_page_path\` text DEFAULT '/:slug' NOT NULL;`)
  await db.run(sql`ALTER TABLE \`site_settings\` ADD \`urls_category_path\` text DEFAULT '/categories/:slug' NOT NULL;`)
  await db.run(sql`ALTER TABLE \`site_settings\` ADD \`urls_home_page_id\` integer REFERENCES pages(id) ON UPDATE no action ON DELETE set null;`)
  await db.run(sql`ALTER TABLE \`site_settings\` ADD \`urls_locale_paths\` text DEFAULT 'prefix-others' NOT NULL;`)
  await db.run(sql`CREATE INDEX \`site_settings_urls_urls_home_page_idx\` ON \`site_settings\` (\`urls_home_page_id\`);`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.run(sql`PRAGMA foreign_keys=OFF;`)
  await db.run(sql`CREATE TABLE \`__new_site_settings\` (
  	\`id\` integer PRIMARY KEY NOT NULL,
  	\`base_url\` text,
  	\`default_og_image_id\` integer,
  	\`updated_at\` text,
  	\`created_at\` text,
  	FOREIGN KEY (\`default_og_image_id\`) REFERENCES \`media\`(\`id\`) ON UPDATE no action ON DELETE set null
  );
  `)
  await db.run(sql`INSERT INTO \`__new_site_settings\`("id", "base_url", "default_og_image_id", "updated_at", "created_at") SELECT "id", "base_url", "default_og_image_id", "updated_at", "created_at" FROM \`site_settings\`;`)
  await db.run(sql`DROP TABLE \`site_settings\`;`)
  await db.run(sql`ALTER TABLE \`__new_site_settings\` RENAME TO \`site_settings\`;`)
  await db.run(sql`PRAGMA foreign_keys=ON;`)
  await db.run(sql`CREATE INDEX \`site_settings_default_og_image_idx\` ON \`site_settings\` (\`default_og_image_id\`);`)
}
