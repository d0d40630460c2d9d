CREATE TYPE "public"."score_source" AS ENUM('evaluation', 'submission', 'import');--> statement-breakpoint
CREATE TABLE "benchmark_versions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "benchmark_versions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"benchmark_id" integer NOT NULL,
	"version" integer NOT NULL,
	"changes" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "score_versions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "score_versions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"model_id" integer NOT NULL,
	"benchmark_id" integer NOT NULL,
	"benchmark_version" integer NOT NULL,
	"source" "score_source",
	"source_benchmark_version" text,
	"status" "score_status" NOT NULL,
	"raw_value" double precision,
	"ceiled_value" double precision,
	"error" double precision,
	"ceiling" double precision,
	"ci_low" double precision,
	"ci_high" double precision,
	"ci_method" text,
	"run_id" integer,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "scores" ADD COLUMN "ci_low" double precision;--> statement-breakpoint
ALTER TABLE "scores" ADD COLUMN "ci_high" double precision;--> statement-breakpoint
ALTER TABLE "scores" ADD COLUMN "ci_method" text;--> statement-breakpoint
ALTER TABLE "scores" ADD COLUMN "source" "score_source";--> statement-breakpoint
ALTER TABLE "benchmark_versions" ADD CONSTRAINT "benchmark_versions_benchmark_id_benchmarks_id_fk" FOREIGN KEY ("benchmark_id") REFERENCES "public"."benchmarks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_versions" ADD CONSTRAINT "score_versions_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_versions" ADD CONSTRAINT "score_versions_benchmark_id_benchmarks_id_fk" FOREIGN KEY ("benchmark_id") REFERENCES "public"."benchmarks"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_versions" ADD CONSTRAINT "score_versions_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "benchmark_versions_uq" ON "benchmark_versions" USING btree ("benchmark_id","version");--> statement-breakpoint
CREATE INDEX "score_versions_cell_idx" ON "score_versions" USING btree ("model_id","benchmark_id","benchmark_version","recorded_at");--> statement-breakpoint
CREATE INDEX "score_versions_recorded_idx" ON "score_versions" USING btree ("recorded_at");--> statement-breakpoint
ALTER TABLE "scores" ADD CONSTRAINT "scores_ci_ordered" CHECK ("scores"."ci_low" is null or "scores"."ci_high" is null or "scores"."ci_low" <= "scores"."ci_high");--> statement-breakpoint
-- Every existing score becomes the first version of its cell: source from its run's kind (none without a run), time = its last write.
UPDATE "scores" SET "source" = CASE "runs"."kind" WHEN 'import' THEN 'import'::"score_source" WHEN 'submission' THEN 'submission'::"score_source" ELSE 'evaluation'::"score_source" END FROM "runs" WHERE "runs"."id" = "scores"."run_id";--> statement-breakpoint
INSERT INTO "score_versions" ("model_id", "benchmark_id", "benchmark_version", "source", "status", "raw_value", "ceiled_value", "error", "ceiling", "ci_low", "ci_high", "ci_method", "run_id", "recorded_at") SELECT "model_id", "benchmark_id", "benchmark_version", "source", "status", "raw_value", "ceiled_value", "error", "ceiling", "ci_low", "ci_high", "ci_method", "run_id", "updated_at" FROM "scores" ORDER BY "id";--> statement-breakpoint
-- Every benchmark's version in use becomes the first entry of its history.
INSERT INTO "benchmark_versions" ("benchmark_id", "version", "changes", "created_at") SELECT "id", "version", 'version in use when version history began', "created_at" FROM "benchmarks";
