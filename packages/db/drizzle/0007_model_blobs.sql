CREATE TABLE "model_blob_chunks" (
	"sha256" text NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "model_blob_chunks_sha256_seq_pk" PRIMARY KEY("sha256","seq")
);
--> statement-breakpoint
CREATE TABLE "model_blobs" (
	"sha256" text PRIMARY KEY NOT NULL,
	"bytes" bigint NOT NULL,
	"chunk_bytes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "model_blob_chunks" ADD CONSTRAINT "model_blob_chunks_sha256_model_blobs_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."model_blobs"("sha256") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- ONNX weights do not compress: keep chunks out of line without trying (pglz would only spend CPU)
ALTER TABLE "model_blob_chunks" ALTER COLUMN "data" SET STORAGE EXTERNAL;
