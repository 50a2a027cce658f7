CREATE TABLE "fund_allocations" (
	"id" text NOT NULL,
	"program_id" text NOT NULL,
	"fund_id" text NOT NULL,
	"account_id" text NOT NULL,
	"amount" bigint NOT NULL,
	"transaction_id" text NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fund_allocations_pkey" PRIMARY KEY("program_id","id"),
	CONSTRAINT "fund_allocations_amount_positive" CHECK ("fund_allocations"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "funds" (
	"id" text NOT NULL,
	"program_id" text NOT NULL,
	"name" text NOT NULL,
	"currency" text NOT NULL,
	"wallet_currency" text NOT NULL,
	"period_from" timestamp with time zone NOT NULL,
	"period_to" timestamp with time zone NOT NULL,
	"budget" bigint NOT NULL,
	"allocated" bigint DEFAULT 0 NOT NULL,
	"allocation_mode" text NOT NULL,
	"allocation_amount" bigint,
	"allocation_percent_bp" integer,
	"share_bp" integer NOT NULL,
	"per_manufacturer" boolean NOT NULL,
	"cap_per_claim" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "funds_pkey" PRIMARY KEY("program_id","id"),
	CONSTRAINT "funds_budget_range" CHECK ("funds"."budget" > 0 and "funds"."allocated" >= 0 and "funds"."allocated" <= "funds"."budget")
);
--> statement-breakpoint
ALTER TABLE "fund_allocations" ADD CONSTRAINT "fund_allocations_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_allocations" ADD CONSTRAINT "fund_allocations_fund_fk" FOREIGN KEY ("program_id","fund_id") REFERENCES "public"."funds"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_allocations" ADD CONSTRAINT "fund_allocations_account_fk" FOREIGN KEY ("program_id","account_id") REFERENCES "public"."accounts"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funds" ADD CONSTRAINT "funds_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "fund_allocations_account_idx" ON "fund_allocations" USING btree ("program_id","account_id","fund_id");