import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_build_hooks_collections" AS ENUM('posts', 'pages', 'categories', 'media', 'forms', 'redirects');
  CREATE TYPE "public"."enum_build_hooks_globals" AS ENUM('header', 'footer', 'site-settings');
  CREATE TYPE "public"."enum_build_hooks_preset" AS ENUM('netlify', 'vercel', 'cloudflare-pages', 'github-dispatch', 'generic');
  CREATE TYPE "public"."enum_build_deliveries_status" AS ENUM('queued', 'delivering', 'delivered', 'retrying', 'failed', 'disabled');
  ALTER TYPE "public"."enum_payload_jobs_log_task_slug" ADD VALUE 'deliverBuildHook' BEFORE 'schedulePublish';
  ALTER TYPE "public"."enum_payload_jobs_task_slug" ADD VALUE 'deliverBuildHook' BEFORE 'schedulePublish';
  CREATE TABLE "build_hooks_collections" (
  	"order" integer NOT NULL,
  	"parent_id" integer NOT NULL,
  	"value" "enum_build_hooks_collections",
  	"id" serial PRIMARY KEY NOT NULL
  );
  
  CREATE TABLE "build_hooks_globals" (
  	"order" integer NOT NULL,
  	"parent_id" integer NOT NULL,
  	"value" "enum_build_hooks_globals",
  	"id" serial PRIMARY KEY NOT NULL
  );
  
  CREATE TABLE "build_hooks" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"name" varchar NOT NULL,
  	"enabled" boolean DEFAULT true,
  	"preset" "enum_build_hooks_preset" DEFAULT 'generic' NOT NULL,
  	"url" varchar NOT NULL,
  	"secret" varchar,
  	"github_token" varchar,
  	"github_event_type" varchar DEFAULT 'greenroom-content-changed',
  	"debounce_seconds" numeric DEFAULT 30 NOT NULL,
  	"deploy_token" varchar,
  	"delivered_through" numeric DEFAULT 0,
  	"disabled_reason" varchar,
  	"disabled_at" timestamp(3) with time zone,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  CREATE TABLE "build_deliveries_attempts" (
  	"_order" integer NOT NULL,
  	"_parent_id" integer NOT NULL,
  	"id" varchar PRIMARY KEY NOT NULL,
  	"at" timestamp(3) with time zone NOT NULL,
  	"response_code" numeric,
  	"duration_ms" numeric,
  	"error" varchar
  );
  
  CREATE TABLE "build_deliveries" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"hook_id" integer NOT NULL,
  	"status" "enum_build_deliveries_status" DEFAULT 'queued' NOT NULL,
  	"webhook_id" varchar NOT NULL,
  	"from_position" numeric,
  	"to_position" numeric,
  	"changes" jsonb,
  	"change_count" numeric,
  	"next_attempt_at" timestamp(3) with time zone,
  	"lease_until" timestamp(3) with time zone,
  	"delivered_at" timestamp(3) with time zone,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "build_hooks_id" integer;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "build_deliveries_id" integer;
  ALTER TABLE "build_hooks_collections" ADD CONSTRAINT "build_hooks_collections_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."build_hooks"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "build_hooks_globals" ADD CONSTRAINT "build_hooks_globals_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."build_hooks"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "build_deliveries_attempts" ADD CONSTRAINT "build_deliveries_attempts_parent_id_fk" FOREIGN KEY ("_parent_id") REFERENCES "public"."build_deliveries"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "build_deliveries" ADD CONSTRAINT "build_deliveries_hook_id_build_hooks_id_fk" FOREIGN KEY ("hook_id") REFERENCES "public"."build_hooks"("id") ON DELETE set null ON UPDATE no action;
  CREATE INDEX "build_hooks_collections_order_idx" ON "build_hooks_collections" USING btree ("order");
  CREATE INDEX "build_hooks_collections_parent_idx" ON "build_hooks_collections" USING btree ("parent_id");
  CREATE INDEX "build_hooks_globals_order_idx" ON "build_hooks_globals" USING btree ("order");
  CREATE INDEX "build_hooks_globals_parent_idx" ON "build_hooks_globals" USING btree ("parent_id");
  CREATE UNIQUE INDEX "build_hooks_deploy_token_idx" ON "build_hooks" USING btree ("deploy_token");
  CREATE INDEX "build_hooks_updated_at_idx" ON "build_hooks" USING btree ("updated_at");
  CREATE INDEX "build_hooks_created_at_idx" ON "build_hooks" USING btree ("created_at");
  CREATE INDEX "build_deliveries_attempts_order_idx" ON "build_deliveries_attempts" USING btree ("_order");
  CREATE INDEX "build_deliveries_attempts_parent_id_idx" ON "build_deliveries_attempts" USING btree ("_parent_id");
  CREATE INDEX "build_deliveries_hook_idx" ON "build_deliveries" USING btree ("hook_id");
  CREATE INDEX "build_deliveries_status_idx" ON "build_deliveries" USING btree ("status");
  CREATE UNIQUE INDEX "build_deliveries_webhook_id_idx" ON "build_deliveries" USING btree ("webhook_id");
  CREATE INDEX "build_deliveries_next_attempt_at_idx" ON "build_deliveries" USING btree ("next_attempt_at");
  CREATE INDEX "build_deliveries_updated_at_idx" ON "build_deliveries" USING btree ("updated_at");
  CREATE INDEX "build_deliveries_created_at_idx" ON "build_deliveries" USING btree ("created_at");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_build_hooks_fk" FOREIGN KEY ("build_hooks_id") REFERENCES "public"."build_hooks"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_build_deliveries_fk" FOREIGN KEY ("build_deliveries_id") REFERENCES "public"."build_deliveries"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "payload_locked_documents_rels_build_hooks_id_idx" ON "payload_locked_documents_rels" USING btree ("build_hooks_id");
  CREATE INDEX "payload_locked_documents_rels_build_deliveries_id_idx" ON "payload_locked_documents_rels" USING btree ("build_deliveries_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_build_hooks_fk";
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_build_deliveries_fk";
   ALTER TABLE "build_hooks_collections" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "build_hooks_globals" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "build_hooks" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "build_deliveries_attempts" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "build_deliveries" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "build_hooks_collections" CASCADE;
  DROP TABLE "build_hooks_globals" CASCADE;
  DROP TABLE "build_hooks" CASCADE;
  DROP TABLE "build_deliveries_attempts" CASCADE;
  DROP TABLE "build_deliveries" CASCADE;
  
  
  ALTER TABLE "payload_jobs_log" ALTER COLUMN "task_slug" SET DATA TYPE text;
  DROP TYPE "public"."enum_payload_jobs_log_task_slug";
  CREATE TYPE "public"."enum_payload_jobs_log_task_slug" AS ENUM('inline', 'schedulePublish');
  ALTER TABLE "payload_jobs_log" ALTER COLUMN "task_slug" SET DATA TYPE "public"."enum_payload_jobs_log_task_slug" USING "task_slug"::"public"."enum_payload_jobs_log_task_slug";
  ALTER TABLE "payload_jobs" ALTER COLUMN "task_slug" SET DATA TYPE text;
  DROP TYPE "public"."enum_payload_jobs_task_slug";
  CREATE TYPE "public"."enum_payload_jobs_task_slug" AS ENUM('inline', 'schedulePublish');
  ALTER TABLE "payload_jobs" ALTER COLUMN "task_slug" SET DATA TYPE "public"."enum_payload_jobs_task_slug" USING "task_slug"::"public"."enum_payload_jobs_task_slug";
  DROP INDEX "payload_locked_documents_rels_build_hooks_id_idx";
  DROP INDEX "payload_locked_documents_rels_build_deliveries_id_idx";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "build_hooks_id";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "build_deliveries_id";
  DROP TYPE "public"."enum_build_hooks_collections";
  DROP TYPE "public"."enum_build_hooks_globals";
  DROP TYPE "public"."enum_build_hooks_preset";
  DROP TYPE "public"."enum_build_deliveries_status";`)
}
