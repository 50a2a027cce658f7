CREATE TABLE "join_challenges" (
	"program_id" text NOT NULL,
	"id" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "join_challenges_pkey" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "join_requests" (
	"id" text NOT NULL,
	"program_id" text NOT NULL,
	"account_id" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"phone" text,
	"role" text NOT NULL,
	"via" text NOT NULL,
	"locale" text,
	"consent_version" text NOT NULL,
	"consent_at" timestamp with time zone NOT NULL,
	"consent_ip" text,
	"marketing" boolean DEFAULT false NOT NULL,
	"member_id" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "join_requests_pkey" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "join_settings" (
	"program_id" text PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"auto_approve" jsonb DEFAULT '{"accountLinks": false, "emailDomain": false}'::jsonb NOT NULL,
	"roles" text[] DEFAULT '{}'::text[] NOT NULL,
	"link_key" text NOT NULL,
	"updated_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "join_challenges" ADD CONSTRAINT "join_challenges_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "join_requests" ADD CONSTRAINT "join_requests_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "join_settings" ADD CONSTRAINT "join_settings_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "join_challenges_expires_idx" ON "join_challenges" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "join_requests_status_idx" ON "join_requests" USING btree ("program_id","status","id");--> statement-breakpoint
CREATE INDEX "join_requests_account_idx" ON "join_requests" USING btree ("program_id","account_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "join_requests_pending_email_uq" ON "join_requests" USING btree ("program_id","email") WHERE status = 'pending' and email is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "join_requests_pending_phone_uq" ON "join_requests" USING btree ("program_id","phone") WHERE status = 'pending' and phone is not null;