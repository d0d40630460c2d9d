CREATE TABLE "study_jobs" (
	"study_id" integer NOT NULL,
	"job_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "study_jobs_study_id_job_id_pk" PRIMARY KEY("study_id","job_id")
);
--> statement-breakpoint
ALTER TABLE "study_jobs" ADD CONSTRAINT "study_jobs_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_jobs" ADD CONSTRAINT "study_jobs_job_id_evaluation_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."evaluation_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "study_jobs_job_idx" ON "study_jobs" USING btree ("job_id");