import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_content_changes_event" AS ENUM('published', 'updated', 'unpublished', 'deleted');
  ALTER TYPE "public"."enum_payload_jobs_log_task_slug" ADD VALUE 'compactChangeLog' BEFORE 'schedulePublish';
  ALTER TYPE "public"."enum_payload_jobs_task_slug" ADD VALUE 'compactChangeLog' BEFORE 'schedulePublish';
  CREATE TABLE "content_changes" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"position" numeric NOT NULL,
  	"event" "enum_content_changes_event" NOT NULL,
  	"collection_slug" varchar,
  	"document_id" varchar,
  	"global_slug" varchar,
  	"locales" jsonb,
  	"tags" jsonb,
  	"actor" varchar,
  	"changed_at" timestamp(3) with time zone NOT NULL
  );
  
  CREATE TABLE "payload_jobs_stats" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"stats" jsonb,
  	"updated_at" timestamp(3) with time zone,
  	"created_at" timestamp(3) with time zone
  );
  
  ALTER TABLE "payload_jobs" ADD COLUMN "meta" jsonb;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "content_changes_id" integer;
  CREATE UNIQUE INDEX "content_changes_position_idx" ON "content_changes" USING btree ("position");
  CREATE INDEX "content_changes_collection_slug_idx" ON "content_changes" USING btree ("collection_slug");
  CREATE INDEX "collectionSlug_documentId_idx" ON "content_changes" USING btree ("collection_slug","document_id");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_content_changes_fk" FOREIGN KEY ("content_changes_id") REFERENCES "public"."content_changes"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "payload_locked_documents_rels_content_changes_id_idx" ON "payload_locked_documents_rels" USING btree ("content_changes_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_content_changes_fk";
  ALTER TABLE "content_changes" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "payload_jobs_stats" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "content_changes" CASCADE;
  DROP TABLE "payload_jobs_stats" CASCADE;
  
  ALTER TABLE "payload_jobs_log" ALTER COLUMN "task_slug" SET DATA TYPE text;
  DROP TYPE "public"."enum_payload_jobs_log_task_slug";
  CREATE TYPE "public"."enum_payload_jobs_log_task_slug" AS ENUM('inline', 'schedulePublish');
  ALTER TABLE "payload_jobs_log" ALTER COLUMN "task_slug" SET DATA TYPE "public"."enum_payload_jobs_log_task_slug" USING "task_slug"::"public"."enum_payload_jobs_log_task_slug";
  ALTER TABLE "payload_jobs" ALTER COLUMN "task_slug" SET DATA TYPE text;
  DROP TYPE "public"."enum_payload_jobs_task_slug";
  CREATE TYPE "public"."enum_payload_jobs_task_slug" AS ENUM('inline', 'schedulePublish');
  ALTER TABLE "payload_jobs" ALTER COLUMN "task_slug" SET DATA TYPE "public"."enum_payload_jobs_task_slug" USING "task_slug"::"public"."enum_payload_jobs_task_slug";
  DROP INDEX "payload_locked_documents_rels_content_changes_id_idx";
  ALTER TABLE "payload_jobs" DROP COLUMN "meta";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "content_changes_id";
  DROP TYPE "public"."enum_content_changes_event";`)
}
