import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_build_deploys_state" AS ENUM('building', 'live', 'failed');
  CREATE TYPE "public"."enum_build_deploys_provider" AS ENUM('generic', 'netlify', 'vercel');
  CREATE TABLE "build_deploys" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"hook_id" integer NOT NULL,
  	"state" "enum_build_deploys_state" NOT NULL,
  	"url" varchar,
  	"position" numeric,
  	"deploy_id" varchar,
  	"provider" "enum_build_deploys_provider",
  	"reported_at" timestamp(3) with time zone NOT NULL,
  	"error" varchar,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "build_deploys_id" integer;
  ALTER TABLE "build_deploys" ADD CONSTRAINT "build_deploys_hook_id_build_hooks_id_fk" FOREIGN KEY ("hook_id") REFERENCES "public"."build_hooks"("id") ON DELETE set null ON UPDATE no action;
  CREATE INDEX "build_deploys_hook_idx" ON "build_deploys" USING btree ("hook_id");
  CREATE INDEX "build_deploys_deploy_id_idx" ON "build_deploys" USING btree ("deploy_id");
  CREATE INDEX "build_deploys_reported_at_idx" ON "build_deploys" USING btree ("reported_at");
  CREATE INDEX "build_deploys_updated_at_idx" ON "build_deploys" USING btree ("updated_at");
  CREATE INDEX "build_deploys_created_at_idx" ON "build_deploys" USING btree ("created_at");
  CREATE UNIQUE INDEX "hook_deployId_idx" ON "build_deploys" USING btree ("hook_id","deploy_id");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_build_deploys_fk" FOREIGN KEY ("build_deploys_id") REFERENCES "public"."build_deploys"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "payload_locked_documents_rels_build_deploys_id_idx" ON "payload_locked_documents_rels" USING btree ("build_deploys_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_build_deploys_fk";
   ALTER TABLE "build_deploys" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "build_deploys" CASCADE;
  
  DROP INDEX "payload_locked_documents_rels_build_deploys_id_idx";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "build_deploys_id";
  DROP TYPE "public"."enum_build_deploys_state";
  DROP TYPE "public"."enum_build_deploys_provider";`)
}
