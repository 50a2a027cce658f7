CREATE TABLE "import_keys" (
	"import_id" text NOT NULL,
	"key" text NOT NULL,
	CONSTRAINT "import_keys_import_id_key_pk" PRIMARY KEY("import_id","key")
);
--> statement-breakpoint
CREATE TABLE "import_rejects" (
	"import_id" text NOT NULL,
	"program_id" text NOT NULL,
	"seq" integer NOT NULL,
	"row" integer NOT NULL,
	"column" text,
	"field" text,
	"reason" text NOT NULL,
	"cells" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "import_rejects_import_id_seq_pk" PRIMARY KEY("import_id","seq")
);
--> statement-breakpoint
CREATE TABLE "imports" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"status" text DEFAULT 'uploaded' NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"mapping" jsonb,
	"mapping_hash" text,
	"detected" jsonb NOT NULL,
	"total_rows" integer,
	"rows_read" integer DEFAULT 0 NOT NULL,
	"processed" integer DEFAULT 0 NOT NULL,
	"duplicates" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"checkpoint_row" integer DEFAULT 0 NOT NULL,
	"error" text,
	"owner" text,
	"heartbeat_at" timestamp with time zone,
	"run_rows_at_start" integer DEFAULT 0 NOT NULL,
	"run_started_at" timestamp with time zone,
	"actor_type" text NOT NULL,
	"actor_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "imports_program_created_idx" ON "imports" USING btree ("program_id","created_at");--> statement-breakpoint
CREATE INDEX "imports_sha_idx" ON "imports" USING btree ("program_id","sha256");--> statement-breakpoint
CREATE INDEX "imports_status_idx" ON "imports" USING btree ("status","heartbeat_at");