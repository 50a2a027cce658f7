CREATE TABLE "grant_recipients" (
	"program_id" text NOT NULL,
	"grant_id" text NOT NULL,
	"seq" integer NOT NULL,
	"external_id" text NOT NULL,
	"owner_type" text NOT NULL,
	"owner_id" text,
	"account_id" text,
	"outcome" text NOT NULL,
	"reason" text,
	"transaction_id" text,
	"granted_at" timestamp with time zone,
	CONSTRAINT "grant_recipients_pkey" PRIMARY KEY("program_id","grant_id","seq")
);
--> statement-breakpoint
CREATE TABLE "grants" (
	"id" text NOT NULL,
	"program_id" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"recipients" text NOT NULL,
	"selection" jsonb NOT NULL,
	"currency" text NOT NULL,
	"amount" bigint NOT NULL,
	"memo" text NOT NULL,
	"expires_at" timestamp with time zone,
	"count" integer NOT NULL,
	"processed" integer DEFAULT 0 NOT NULL,
	"excluded" integer DEFAULT 0 NOT NULL,
	"error" text,
	"actor_type" text NOT NULL,
	"actor_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "grants_pkey" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
ALTER TABLE "grant_recipients" ADD CONSTRAINT "grant_recipients_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_recipients" ADD CONSTRAINT "grant_recipients_grant_fk" FOREIGN KEY ("program_id","grant_id") REFERENCES "public"."grants"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "grant_recipients_owner_uq" ON "grant_recipients" USING btree ("program_id","grant_id","owner_id") WHERE "grant_recipients"."owner_id" is not null;--> statement-breakpoint
CREATE INDEX "grant_recipients_pending_idx" ON "grant_recipients" USING btree ("program_id","grant_id","seq") WHERE "grant_recipients"."outcome" = 'pending';--> statement-breakpoint
CREATE INDEX "grants_status_idx" ON "grants" USING btree ("status");