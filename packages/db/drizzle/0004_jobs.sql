CREATE TABLE "evaluation_jobs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "evaluation_jobs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"job_key" text NOT NULL,
	"model_id" integer NOT NULL,
	"benchmark" text NOT NULL,
	"benchmark_version" integer NOT NULL,
	"model_sha256" text,
	"configuration" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 3 NOT NULL,
	"timeout_seconds" integer DEFAULT 21600 NOT NULL,
	"claim" text,
	"worker" text,
	"heartbeat_at" timestamp with time zone,
	"progress" jsonb,
	"checkpoint" jsonb,
	"checkpoint_at" timestamp with time zone,
	"error" text,
	"run_id" integer,
	"compute_seconds" real DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_request_jobs" (
	"request_id" integer NOT NULL,
	"job_id" integer NOT NULL,
	CONSTRAINT "evaluation_request_jobs_request_id_job_id_pk" PRIMARY KEY("request_id","job_id")
);
--> statement-breakpoint
CREATE TABLE "evaluator_benchmarks" (
	"identifier" text PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"label_space" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "evaluation_jobs" ADD CONSTRAINT "evaluation_jobs_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_jobs" ADD CONSTRAINT "evaluation_jobs_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_request_jobs" ADD CONSTRAINT "evaluation_request_jobs_request_id_evaluation_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."evaluation_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_request_jobs" ADD CONSTRAINT "evaluation_request_jobs_job_id_evaluation_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."evaluation_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_jobs_key_idx" ON "evaluation_jobs" USING btree ("job_key");--> statement-breakpoint
CREATE INDEX "evaluation_jobs_model_idx" ON "evaluation_jobs" USING btree ("model_id");--> statement-breakpoint
CREATE INDEX "evaluation_jobs_state_idx" ON "evaluation_jobs" USING btree ("state");--> statement-breakpoint
CREATE INDEX "evaluation_request_jobs_job_idx" ON "evaluation_request_jobs" USING btree ("job_id");