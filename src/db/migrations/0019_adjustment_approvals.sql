CREATE TABLE "adjustment_requests" (
	"id" text NOT NULL,
	"program_id" text NOT NULL,
	"account_id" text NOT NULL,
	"member_id" text,
	"currency" text NOT NULL,
	"amount" bigint NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_by_type" text NOT NULL,
	"requested_by_id" text NOT NULL,
	"decided_by_type" text,
	"decided_by_id" text,
	"decision_note" text,
	"transaction_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	CONSTRAINT "adjustment_requests_pkey" PRIMARY KEY("program_id","id"),
	CONSTRAINT "adjustment_requests_amount_nonzero" CHECK ("adjustment_requests"."amount" <> 0)
);
--> statement-breakpoint
CREATE TABLE "adjustment_thresholds" (
	"program_id" text NOT NULL,
	"currency" text NOT NULL,
	"amount" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "adjustment_thresholds_pkey" PRIMARY KEY("program_id","currency"),
	CONSTRAINT "adjustment_thresholds_positive" CHECK ("adjustment_thresholds"."amount" > 0)
);
--> statement-breakpoint
ALTER TABLE "adjustment_requests" ADD CONSTRAINT "adjustment_requests_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adjustment_thresholds" ADD CONSTRAINT "adjustment_thresholds_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "adjustment_requests_status_idx" ON "adjustment_requests" USING btree ("program_id","status","created_at");