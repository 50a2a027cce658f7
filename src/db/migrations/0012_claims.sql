CREATE TABLE "files" (
	"id" text NOT NULL,
	"program_id" text NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "files_pkey" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "claim_documents" (
	"id" text NOT NULL,
	"program_id" text NOT NULL,
	"claim_id" text NOT NULL,
	"file_id" text NOT NULL,
	"sha256" text NOT NULL,
	"decision" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "claim_documents_pkey" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "claim_serials" (
	"program_id" text NOT NULL,
	"claim_id" text NOT NULL,
	"serial" text NOT NULL,
	CONSTRAINT "claim_serials_pkey" PRIMARY KEY("program_id","claim_id","serial")
);
--> statement-breakpoint
CREATE TABLE "claims" (
	"id" text NOT NULL,
	"program_id" text NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"account_id" text NOT NULL,
	"member_id" text,
	"fund_id" text,
	"activity" jsonb,
	"cost" bigint,
	"manufacturers_shown" integer,
	"invoice" jsonb,
	"invoice_key" text,
	"invoice_amount" bigint,
	"invoice_date" timestamp with time zone,
	"seller_id" text,
	"flags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"approved_amount" bigint,
	"hold_id" text,
	"pay_transaction_id" text,
	"pay_method" text,
	"event_id" text,
	"note" text,
	"submitted_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "claims_pkey" PRIMARY KEY("program_id","id"),
	CONSTRAINT "claims_amounts_positive" CHECK (("claims"."cost" is null or "claims"."cost" > 0) and ("claims"."approved_amount" is null or "claims"."approved_amount" >= 0))
);
--> statement-breakpoint
ALTER TABLE "files" ADD CONSTRAINT "files_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_documents" ADD CONSTRAINT "claim_documents_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_documents" ADD CONSTRAINT "claim_documents_claim_fk" FOREIGN KEY ("program_id","claim_id") REFERENCES "public"."claims"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_documents" ADD CONSTRAINT "claim_documents_file_fk" FOREIGN KEY ("program_id","file_id") REFERENCES "public"."files"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_serials" ADD CONSTRAINT "claim_serials_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_serials" ADD CONSTRAINT "claim_serials_claim_fk" FOREIGN KEY ("program_id","claim_id") REFERENCES "public"."claims"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_account_fk" FOREIGN KEY ("program_id","account_id") REFERENCES "public"."accounts"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_member_fk" FOREIGN KEY ("program_id","member_id") REFERENCES "public"."members"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_fund_fk" FOREIGN KEY ("program_id","fund_id") REFERENCES "public"."funds"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "files_sha256_idx" ON "files" USING btree ("program_id","sha256");--> statement-breakpoint
CREATE INDEX "claim_documents_claim_idx" ON "claim_documents" USING btree ("program_id","claim_id");--> statement-breakpoint
CREATE INDEX "claim_documents_sha_idx" ON "claim_documents" USING btree ("program_id","sha256");--> statement-breakpoint
CREATE INDEX "claim_serials_serial_idx" ON "claim_serials" USING btree ("program_id","serial");--> statement-breakpoint
CREATE INDEX "claims_status_idx" ON "claims" USING btree ("program_id","status","created_at");--> statement-breakpoint
CREATE INDEX "claims_account_idx" ON "claims" USING btree ("program_id","account_id","created_at");--> statement-breakpoint
CREATE INDEX "claims_invoice_key_idx" ON "claims" USING btree ("program_id","invoice_key");--> statement-breakpoint
CREATE INDEX "claims_seller_date_idx" ON "claims" USING btree ("program_id","seller_id","invoice_date");