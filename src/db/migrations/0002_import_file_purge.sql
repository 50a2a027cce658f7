ALTER TABLE "imports" ADD COLUMN "file_purged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "file_columns" jsonb;