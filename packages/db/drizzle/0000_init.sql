CREATE TYPE "public"."benchmark_domain" AS ENUM('aggregate', 'neural', 'behavioral', 'engineering', 'robustness');--> statement-breakpoint
CREATE TYPE "public"."run_kind" AS ENUM('evaluation', 'attack', 'import', 'submission');--> statement-breakpoint
CREATE TYPE "public"."run_status" AS ENUM('running', 'succeeded', 'failed');--> statement-breakpoint
CREATE TYPE "public"."score_status" AS ENUM('scored', 'failed', 'not-run');--> statement-breakpoint
CREATE TYPE "public"."visibility" AS ENUM('public', 'private');--> statement-breakpoint
CREATE TABLE "benchmarks" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "benchmarks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"identifier" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"parent_id" integer,
	"domain" "benchmark_domain" NOT NULL,
	"display_name" text,
	"metric" text,
	"ceiling" double precision,
	"range_min" double precision,
	"range_max" double precision,
	"description" text,
	"reference" text,
	"parameters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "benchmarks_identifier_unique" UNIQUE("identifier")
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "api_keys_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"is_admin" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_keyHash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "model_aliases" (
	"alias" text PRIMARY KEY NOT NULL,
	"model_id" integer NOT NULL,
	"source" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "models" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "models_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"identifier" text NOT NULL,
	"display_name" text NOT NULL,
	"architecture" text,
	"family" text,
	"training_regime" text,
	"training_data" text,
	"parameters" bigint,
	"source" text,
	"license" text,
	"owner_key_id" integer,
	"visibility" "visibility" DEFAULT 'public' NOT NULL,
	"onnx_sha256" text,
	"onnx_path" text,
	"onnx_bytes" bigint,
	"card" jsonb,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "models_identifier_unique" UNIQUE("identifier")
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" "run_kind" NOT NULL,
	"status" "run_status" DEFAULT 'running' NOT NULL,
	"model_id" integer,
	"submission_id" integer,
	"producer" text NOT NULL,
	"producer_version" text,
	"configuration" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"environment" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"timings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"artifacts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"log" text,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "submissions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "submissions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"api_key_id" integer,
	"payload_sha256" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scores" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "scores_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"model_id" integer NOT NULL,
	"benchmark_id" integer NOT NULL,
	"benchmark_version" integer NOT NULL,
	"status" "score_status" NOT NULL,
	"raw_value" double precision,
	"ceiled_value" double precision,
	"error" double precision,
	"ceiling" double precision,
	"run_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scores_scored_has_value" CHECK ("scores"."status" <> 'scored' or "scores"."raw_value" is not null or "scores"."ceiled_value" is not null)
);
--> statement-breakpoint
ALTER TABLE "benchmarks" ADD CONSTRAINT "benchmarks_parent_id_benchmarks_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."benchmarks"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "models" ADD CONSTRAINT "models_owner_key_id_api_keys_id_fk" FOREIGN KEY ("owner_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scores" ADD CONSTRAINT "scores_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scores" ADD CONSTRAINT "scores_benchmark_id_benchmarks_id_fk" FOREIGN KEY ("benchmark_id") REFERENCES "public"."benchmarks"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scores" ADD CONSTRAINT "scores_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "benchmarks_parent_idx" ON "benchmarks" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "api_keys_active_idx" ON "api_keys" USING btree ("key_hash") WHERE "api_keys"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "models_family_idx" ON "models" USING btree ("family");--> statement-breakpoint
CREATE INDEX "models_regime_idx" ON "models" USING btree ("training_regime");--> statement-breakpoint
CREATE INDEX "runs_model_idx" ON "runs" USING btree ("model_id");--> statement-breakpoint
CREATE INDEX "submissions_hash_idx" ON "submissions" USING btree ("payload_sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "scores_model_benchmark_version_uq" ON "scores" USING btree ("model_id","benchmark_id","benchmark_version");--> statement-breakpoint
CREATE INDEX "scores_benchmark_idx" ON "scores" USING btree ("benchmark_id");