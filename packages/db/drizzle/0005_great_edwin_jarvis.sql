CREATE TABLE "assemblies" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "assemblies_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"identifier" text NOT NULL,
	"sha256" text NOT NULL,
	"path" text NOT NULL,
	"stimuli" text,
	"format" text NOT NULL,
	"regions" text[] NOT NULL,
	"stimulus_count" integer NOT NULL,
	"neuroid_count" integer NOT NULL,
	"repetitions" integer NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assemblies_identifier_unique" UNIQUE("identifier"),
	CONSTRAINT "assemblies_sha256_unique" UNIQUE("sha256")
);
