CREATE TABLE "studies" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "studies_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"version" integer NOT NULL,
	"definition_sha256" text NOT NULL,
	"definition" jsonb NOT NULL,
	"status" text DEFAULT 'defined' NOT NULL,
	"plan" jsonb,
	"progress" jsonb,
	"result" jsonb,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "studies_name_version_uq" ON "studies" USING btree ("name","version");--> statement-breakpoint
CREATE UNIQUE INDEX "studies_name_sha_uq" ON "studies" USING btree ("name","definition_sha256");--> statement-breakpoint
CREATE INDEX "studies_name_idx" ON "studies" USING btree ("name");