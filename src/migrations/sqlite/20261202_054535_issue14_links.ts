import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-sqlite'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.run(sql`CREATE TABLE \`posts_texts\` (
  	\`id\` integer PRIMARY KEY NOT NULL,
  	\`order\` integer NOT NULL,
  	\`parent_id\` integer NOT NULL,
  	\`path\` text NOT NULL,
  	\`text\` text,
  	FOREIGN KEY (\`parent_id\`) REFERENCES \`posts\`(\`id\`) ON UPDATE no action ON DELETE cascade
  );
  `)
  await db.run(sql`CREATE INDEX \`posts_texts_order_parent\` ON \`posts_texts\` (\`order\`,\`parent_id\`);`)
  await db.run(sql`CREATE INDEX \`posts_texts_text_idx\` ON \`posts_texts\` (\`text\`);`)
  await db.run(sql`CREATE TABLE \`_posts_v_texts\` (
  	\`id\` integer PRIMARY KEY NOT NULL,
  	\`order\` integer NOT NULL,
  	\`parent_id\` integer NOT NULL,
  	\`path\` text NOT NULL,
  	\`text\` text,
  	FOREIGN KEY (\`parent_id\`) REFERENCES \`_posts_v\`(\`id\`) ON UPDATE no action ON DELETE cascade
  );
  `)
  await db.run(sql`CREATE INDEX \`_posts_v_texts_order_parent\` ON \`_posts_v_texts\` (\`order\`,\`parent_id\`);`)
  await db.run(sql`CREATE TABLE \`pages_texts\` (
  	\`id\` integer PRIMARY KEY NOT NULL,
  	\`order\` integer NOT NULL,
  	\`parent_id\` integer NOT NULL,
  	\`path\` text NOT NULL,
  	\`text\` text,
  	FOREIGN KEY (\`parent_id\`) REFERENCES \`pages\`(\`id\`) ON UPDATE no action ON DELETE cascade
  );
  `)
  await db.run(sql`CREATE INDEX \`pages_texts_order_parent\` ON \`pages_texts\` (\`order\`,\`parent_id\`);`)
  await db.run(sql`CREATE INDEX \`pages_texts_text_idx\` ON \`pages_texts\` (\`text\`);`)
  await db.run(sql`CREATE TABLE \`_pages_v_texts\` (
  	\`id\` integer PRIMARY KEY NOT NULL,
  	\`order\` integer NOT NULL,
  	\`parent_id\` integer NOT NULL,
  	\`path\` text NOT NULL,
  	\`text\` text,
  	FOREIGN KEY (\`parent_id\`) REFERENCES \`_pages_v\`(\`id\`) ON UPDATE no action ON DELETE cascade
  );
  `)
  await db.run(sql`CREATE INDEX \`_pages_v_texts_order_parent\` ON \`_pages_v_texts\` (\`order\`,\`parent_id\`);`)
  await db.run(sql`ALTER TABLE \`posts\` ADD \`broken_links\` text;`)
  await db.run(sql`ALTER TABLE \`posts\` ADD \`broken_link_count\` numeric;`)
  await db.run(sql`CREATE INDEX \`posts_broken_link_count_idx\` ON \`posts\` (\`broken_link_count\`);`)
  await db.run(sql`ALTER TABLE \`_posts_v\` ADD \`version_broken_links\` text;`)
  await db.run(sql`ALTER TABLE \`_posts_v\` ADD \`version_broken_link_count\` numeric;`)
  await db.run(sql`CREATE INDEX \`_posts_v_version_version_broken_link_count_idx\` ON \`_posts_v\` (\`version_broken_link_count\`);`)
  await db.run(sql`ALTER TABLE \`pages\` ADD \`broken_links\` text;`)
  await db.run(sql`ALTER TABLE \`pages\` ADD \`broken_link_count\` numeric;`)
  await db.run(sql`CREATE INDEX \`pages_broken_link_count_idx\` ON \`pages\` (\`broken_link_count\`);`)
  await db.run(sql`ALTER TABLE \`_pages_v\` ADD \`version_broken_links\` text;`)
  await db.run(sql`ALTER TABLE \`_pages_v\` ADD \`version_broken_link_count\` numeric;`)
  await db.run(sql`CREATE INDEX \`_pages_v_version_version_broken_link_count_idx\` ON \`_pages_v\` (\`version_broken_link_count\`);`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.run(sql`DROP TABLE \`posts_texts\`;`)
  await db.run(sql`DROP TABLE \`_posts_v_texts\`;`)
  await db.run(sql`DROP TABLE \`pages_texts\`;`)
  await db.run(sql`DROP TABLE \`_pages_v_texts\`;`)
  await db.run(sql`DROP INDEX \`posts_broken_link_count_idx\`;`)
  await db.run(sql`ALTER TABLE \`posts\` DROP COLUMN \`broken_links\`;`)
  await db.run(sql`ALTER TABLE \`posts\` DROP COLUMN \`broken_link_count\`;`)
  await db.run(sql`DROP INDEX \`_posts_v_version_version_broken_link_count_idx\`;`)
  await db.run(sql`ALTER TABLE \`_posts_v\` DROP COLUMN \`version_broken_links\`;`)
  await db.run(sql`ALTER TABLE \`_posts_v\` DROP COLUMN \`version_broken_link_count\`;`)
  await db.run(sql`DROP INDEX \`pages_broken_link_count_idx\`;`)
  await db.run(sql`ALTER TABLE \`pages\` DROP COLUMN \`broken_links\`;`)
  await db.run(sql`ALTER TABLE \`pages\` DROP COLUMN \`broken_link_count\`;`)
  await db.run(sql`DROP INDEX \`_pages_v_version_version_broken_link_count_idx\`;`)
  await db.run(sql`ALTER TABLE \`_pages_v\` DROP COLUMN \`version_broken_links\`;`)
  await db.run(sql`ALTER TABLE \`_pages_v\` DROP COLUMN \`version_broken_link_count\`;`)
}
