import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TABLE "posts_texts" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"order" integer NOT NULL,
  	"parent_id" integer NOT NULL,
  	"path" varchar NOT NULL,
  	"text" varchar
  );
  
  CREATE TABLE "_posts_v_texts" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"order" integer NOT NULL,
  	"parent_id" integer NOT NULL,
  	"path" varchar NOT NULL,
  	"text" varchar
  );
  
  CREATE TABLE "pages_texts" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"order" integer NOT NULL,
  	"parent_id" integer NOT NULL,
  	"path" varchar NOT NULL,
  	"text" varchar
  );
  
  CREATE TABLE "_pages_v_texts" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"order" integer NOT NULL,
  	"parent_id" integer NOT NULL,
  	"path" varchar NOT NULL,
  	"text" varchar
  );
  
  ALTER TABLE "posts" ADD COLUMN "broken_links" jsonb;
  ALTER TABLE "posts" ADD COLUMN "broken_link_count" numeric;
  ALTER TABLE "_posts_v" ADD COLUMN "version_broken_links" jsonb;
  ALTER TABLE "_posts_v" ADD COLUMN "version_broken_link_count" numeric;
  ALTER TABLE "pages" ADD COLUMN "broken_links" jsonb;
  ALTER TABLE "pages" ADD COLUMN "broken_link_count" numeric;
  ALTER TABLE "_pages_v" ADD COLUMN "version_broken_links" jsonb;
  ALTER TABLE "_pages_v" ADD COLUMN "version_broken_link_count" numeric;
  ALTER TABLE "posts_texts" ADD CONSTRAINT "posts_texts_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "_posts_v_texts" ADD CONSTRAINT "_posts_v_texts_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."_posts_v"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "pages_texts" ADD CONSTRAINT "pages_texts_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."pages"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "_pages_v_texts" ADD CONSTRAINT "_pages_v_texts_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."_pages_v"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "posts_texts_order_parent" ON "posts_texts" USING btree ("order","parent_id");
  CREATE INDEX "posts_texts_text_idx" ON "posts_texts" USING btree ("text");
  CREATE INDEX "_posts_v_texts_order_parent" ON "_posts_v_texts" USING btree ("order","parent_id");
  CREATE INDEX "pages_texts_order_parent" ON "pages_texts" USING btree ("order","parent_id");
  CREATE INDEX "pages_texts_text_idx" ON "pages_texts" USING btree ("text");
  CREATE INDEX "_pages_v_texts_order_parent" ON "_pages_v_texts" USING btree ("order","parent_id");
  CREATE INDEX "posts_broken_link_count_idx" ON "posts" USING btree ("broken_link_count");
  CREATE INDEX "_posts_v_version_version_broken_link_count_idx" ON "_posts_v" USING btree ("version_broken_link_count");
  CREATE INDEX "pages_broken_link_count_idx" ON "pages" USING btree ("broken_link_count");
  CREATE INDEX "_pages_v_version_version_broken_link_count_idx" ON "_pages_v" USING btree ("version_broken_link_count");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "posts_texts" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "_posts_v_texts" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "pages_texts" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "_pages_v_texts" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "posts_texts" CASCADE;
  DROP TABLE "_posts_v_texts" CASCADE;
  DROP TABLE "pages_texts" CASCADE;
  DROP TABLE "_pages_v_texts" CASCADE;
  DROP INDEX "posts_broken_link_count_idx";
  DROP INDEX "_posts_v_version_version_broken_link_count_idx";
  DROP INDEX "pages_broken_link_count_idx";
  DROP INDEX "_pages_v_version_version_broken_link_count_idx";
  ALTER TABLE "posts" DROP COLUMN "broken_links";
  ALTER TABLE "posts" DROP COLUMN "broken_link_count";
  ALTER TABLE "_posts_v" DROP COLUMN "version_broken_links";
  ALTER TABLE "_posts_v" DROP COLUMN "version_broken_link_count";
  ALTER TABLE "pages" DROP COLUMN "broken_links";
  ALTER TABLE "pages" DROP COLUMN "broken_link_count";
  ALTER TABLE "_pages_v" DROP COLUMN "version_broken_links";
  ALTER TABLE "_pages_v" DROP COLUMN "version_broken_link_count";`)
}
