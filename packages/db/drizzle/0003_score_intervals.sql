ALTER TABLE "scores" ADD COLUMN "ci_low" double precision;--> statement-breakpoint
ALTER TABLE "scores" ADD COLUMN "ci_high" double precision;--> statement-breakpoint
ALTER TABLE "scores" ADD COLUMN "ci_method" text;--> statement-breakpoint
ALTER TABLE "scores" ADD CONSTRAINT "scores_ci_ordered" CHECK ("scores"."ci_low" is null or "scores"."ci_high" is null or "scores"."ci_low" <= "scores"."ci_high");