CREATE TABLE "claim_valid_serials" (
	"program_id" text NOT NULL,
	"serial" text NOT NULL,
	"sku" text,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "claim_valid_serials_pkey" PRIMARY KEY("program_id","serial")
);
--> statement-breakpoint
ALTER TABLE "funds" ADD COLUMN "cap_per_account" bigint;--> statement-breakpoint
ALTER TABLE "funds" ADD COLUMN "claim_due_days" integer;--> statement-breakpoint
ALTER TABLE "claim_valid_serials" ADD CONSTRAINT "claim_valid_serials_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;