import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-sqlite'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.run(sql`CREATE TABLE \`build_hooks_collections\` (
  	\`order\` integer NOT NULL,
  	\`parent_id\` integer NOT NULL,
  	\`value\` text,
  	\`id\` integer PRIMARY KEY NOT NULL,
  	FOREIGN KEY (\`parent_id\`) REFERENCES \`build_hooks\`(\`id\`) ON UPDATE no action ON DELETE cascade
  );
  `)
  await db.run(sql`CREATE INDEX \`build_hooks_collections_order_idx\` ON \`build_hooks_collections\` (\`order\`);`)
  await db.run(sql`CREATE INDEX \`build_hooks_collections_parent_idx\` ON \`build_hooks_collections\` (\`parent_id\`);`)
  await db.run(sql`CREATE TABLE \`build_hooks_globals\` (
  	\`order\` integer NOT NULL,
  	\`parent_id\` integer NOT NULL,
  	\`value\` text,
  	\`id\` integer PRIMARY KEY NOT NULL,
  	FOREIGN KEY (\`parent_id\`) REFERENCES \`build_hooks\`(\`id\`) ON UPDATE no action ON DELETE cascade
  );
  `)
  await db.run(sql`CREATE INDEX \`build_hooks_globals_order_idx\` ON \`build_hooks_globals\` (\`order\`);`)
  await db.run(sql`CREATE INDEX \`build_hooks_globals_parent_idx\` ON \`build_hooks_globals\` (\`parent_id\`);`)
  await db.run(sql`CREATE TABLE \`build_hooks\` (
  	\`id\` integer PRIMARY KEY NOT NULL,
  	\`name\` text NOT NULL,
  	\`enabled\` integer DEFAULT true,
  	\`preset\` text DEFAULT 'generic' NOT NULL,
  	\`url\` text NOT NULL,
  	\`secret\` text,
  	\`github_token\` text,
  	\`github_event_type\` text DEFAULT 'greenroom-content-changed',
  	\`debounce_seconds\` numeric DEFAULT 30 NOT NULL,
  	\`deploy_token\` text,
  	\`delivered_through\` numeric DEFAULT 0,
  	\`disabled_reason\` text,
  	\`disabled_at\` text,
  	\`updated_at\` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
  	\`created_at\` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
  );
  `)
  await db.run(sql`CREATE UNIQUE INDEX \`build_hooks_deploy_token_idx\` ON \`build_hooks\` (\`deploy_token\`);`)
  await db.run(sql`CREATE INDEX \`build_hooks_updated_at_idx\` ON \`build_hooks\` (\`updated_at\`);`)
  await db.run(sql`CREATE INDEX \`build_hooks_created_at_idx\` ON \`build_hooks\` (\`created_at\`);`)
  await db.run(sql`CREATE TABLE \`build_deliveries_attempts\` (
  	\`_order\` integer NOT NULL,
  	\`_parent_id\` integer NOT NULL,
  	\`id\` text PRIMARY KEY NOT NULL,
  	\`at\` text NOT NULL,
  	\`response_code\` numeric,
  	\`duration_ms\` numeric,
  	\`error\` text,
  	FOREIGN KEY (\`_parent_id\`) REFERENCES \`build_deliveries\`(\`id\`) ON UPDATE no action ON DELETE cascade
  );
  `)
  await db.run(sql`CREATE INDEX \`build_deliveries_attempts_order_idx\` ON \`build_deliveries_attempts\` (\`_order\`);`)
  await db.run(sql`CREATE INDEX \`build_deliveries_attempts_parent_id_idx\` ON \`build_deliveries_attempts\` (\`_parent_id\`);`)
  await db.run(sql`CREATE TABLE \`build_deliveries\` (
  	\`id\` integer PRIMARY KEY NOT NULL,
  	\`hook_id\` integer NOT NULL,
  	\`status\` text DEFAULT 'queued' NOT NULL,
  	\`webhook_id\` text NOT NULL,
  	\`from_position\` numeric,
  	\`to_position\` numeric,
  	\`changes\` text,
  	\`change_count\` numeric,
  	\`next_attempt_at\` text,
  	\`lease_until\` text,
  	\`delivered_at\` text,
  	\`updated_at\` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
  	\`created_at\` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
  	FOREIGN KEY (\`hook_id\`) REFERENCES \`build_hooks\`(\`id\`) ON UPDATE no action ON DELETE set null
  );
  `)
  await db.run(sql`CREATE INDEX \`build_deliveries_hook_idx\` ON \`build_deliveries\` (\`hook_id\`);`)
  await db.run(sql`CREATE INDEX \`build_deliveries_status_idx\` ON \`build_deliveries\` (\`status\`);`)
  await db.run(sql`CREATE UNIQUE INDEX \`build_deliveries_webhook_id_idx\` ON \`build_deliveries\` (\`webhook_id\`);`)
  await db.run(sql`CREATE INDEX \`build_deliveries_next_attempt_at_idx\` ON \`build_deliveries\` (\`next_attempt_at\`);`)
  await db.run(sql`CREATE INDEX \`build_deliveries_updated_at_idx\` ON \`build_deliveries\` (\`updated_at\`);`)
  await db.run(sql`CREATE INDEX \`build_deliveries_created_at_idx\` ON \`build_deliveries\` (\`created_at\`);`)
  await db.run(sql`ALTER TABLE \`payload_locked_documents_rels\` ADD \`build_hooks_id\` integer REFERENCES build_hooks(id);`)
  await db.run(sql`ALTER TABLE \`payload_locked_documents_rels\` ADD \`build_deliveries_id\` integer REFERENCES build_deliveries(id);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_build_hooks_id_idx\` ON \`payload_locked_documents_rels\` (\`build_hooks_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_build_deliveries_id_idx\` ON \`payload_locked_documents_rels\` (\`build_deliveries_id\`);`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.run(sql`PRAGMA foreign_keys=OFF;`)
  await db.run(sql`CREATE TABLE \`__new_payload_locked_documents_rels\` (
  	\`id\` integer PRIMARY KEY NOT NULL,
  	\`order\` integer,
  	\`parent_id\` integer NOT NULL,
  	\`path\` text NOT NULL,
  	\`posts_id\` integer,
  	\`pages_id\` integer,
  	\`categories_id\` integer,
  	\`media_id\` integer,
  	\`users_id\` integer,
  	\`redirects_id\` integer,
  	\`forms_id\` integer,
  	\`form_submissions_id\` integer,
  	\`search_id\` integer,
  	\`content_changes_id\` integer,
  	FOREIGN KEY (\`parent_id\`) REFERENCES \`payload_locked_documents\`(\`id\`) ON UPDATE no action ON DELETE cascade,
  	FOREIGN KEY (\`posts_id\`) REFERENCES \`posts\`(\`id\`) ON UPDATE no action ON DELETE cascade,
  	FOREIGN KEY (\`pages_id\`) REFERENCES \`pages\`(\`id\`) ON UPDATE no action ON DELETE cascade,
  	FOREIGN KEY (\`categories_id\`) REFERENCES \`categories\`(\`id\`) ON UPDATE no action ON DELETE cascade,
  	FOREIGN KEY (\`media_id\`) REFERENCES \`media\`(\`id\`) ON UPDATE no action ON DELETE cascade,
  	FOREIGN KEY (\`users_id\`) REFERENCES \`users\`(\`id\`) ON UPDATE no action ON DELETE cascade,
  	FOREIGN KEY (\`redirects_id\`) REFERENCES \`redirects\`(\`id\`) ON UPDATE no action ON DELETE cascade,
  	FOREIGN KEY (\`forms_id\`) REFERENCES \`forms\`(\`id\`) ON UPDATE no action ON DELETE cascade,
  	FOREIGN KEY (\`form_submissions_id\`) REFERENCES \`form_submissions\`(\`id\`) ON UPDATE no action ON DELETE cascade,
  	FOREIGN KEY (\`search_id\`) REFERENCES \`search\`(\`id\`) ON UPDATE no action ON DELETE cascade,
  	FOREIGN KEY (\`content_changes_id\`) REFERENCES \`content_changes\`(\`id\`) ON UPDATE no action ON DELETE cascade
  );
  `)
  await db.run(sql`INSERT INTO \`__new_payload_locked_documents_rels\`("id", "order", "parent_id", "path", "posts_id", "pages_id", "categories_id", "media_id", "users_id", "redirects_id", "forms_id", "form_submissions_id", "search_id", "content_changes_id") SELECT "id", "order", "parent_id", "path", "posts_id", "pages_id", "categories_id", "media_id", "users_id", "redirects_id", "forms_id", "form_submissions_id", "search_id", "content_changes_id" FROM \`payload_locked_documents_rels\`;`)
  await db.run(sql`DROP TABLE \`payload_locked_documents_rels\`;`)
  await db.run(sql`ALTER TABLE \`__new_payload_locked_documents_rels\` RENAME TO \`payload_locked_documents_rels\`;`)
  // The tables go once nothing refers to them: SQLite checks the foreign keys of every table that
  // still names them, the locked-documents table too, while dropping.
  await db.run(sql`DROP TABLE \`build_deliveries_attempts\`;`)
  await db.run(sql`DROP TABLE \`build_deliveries\`;`)
  await db.run(sql`DROP TABLE \`build_hooks_collections\`;`)
  await db.run(sql`DROP TABLE \`build_hooks_globals\`;`)
  await db.run(sql`DROP TABLE \`build_hooks\`;`)
  await db.run(sql`PRAGMA foreign_keys=ON;`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_order_idx\` ON \`payload_locked_documents_rels\` (\`order\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_parent_idx\` ON \`payload_locked_documents_rels\` (\`parent_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_path_idx\` ON \`payload_locked_documents_rels\` (\`path\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_posts_id_idx\` ON \`payload_locked_documents_rels\` (\`posts_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_pages_id_idx\` ON \`payload_locked_documents_rels\` (\`pages_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_categories_id_idx\` ON \`payload_locked_documents_rels\` (\`categories_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_media_id_idx\` ON \`payload_locked_documents_rels\` (\`media_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_users_id_idx\` ON \`payload_locked_documents_rels\` (\`users_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_redirects_id_idx\` ON \`payload_locked_documents_rels\` (\`redirects_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_forms_id_idx\` ON \`payload_locked_documents_rels\` (\`forms_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_form_submissions_id_idx\` ON \`payload_locked_documents_rels\` (\`form_submissions_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_search_id_idx\` ON \`payload_locked_documents_rels\` (\`search_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_content_changes_id_idx\` ON \`payload_locked_documents_rels\` (\`content_changes_id\`);`)
}
