CREATE TABLE "rebate_payouts" (
	"id" text NOT NULL,
	"program_id" text NOT NULL,
	"rebate_id" text NOT NULL,
	"settlement_id" text NOT NULL,
	"period" text NOT NULL,
	"account_id" text NOT NULL,
	"basis" bigint NOT NULL,
	"rate_bp" integer NOT NULL,
	"amount" bigint NOT NULL,
	"already_paid" bigint DEFAULT 0 NOT NULL,
	"paid" bigint DEFAULT 0 NOT NULL,
	"paid_total" bigint DEFAULT 0 NOT NULL,
	"transaction_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rebate_payouts_pkey" PRIMARY KEY("program_id","id"),
	CONSTRAINT "rebate_payouts_amounts" CHECK ("rebate_payouts"."paid" >= 0 and "rebate_payouts"."already_paid" >= 0 and "rebate_payouts"."paid_total" = "rebate_payouts"."already_paid" + "rebate_payouts"."paid")
);
--> statement-breakpoint
CREATE TABLE "rebate_settlements" (
	"id" text NOT NULL,
	"program_id" text NOT NULL,
	"rebate_id" text NOT NULL,
	"period" text NOT NULL,
	"final" boolean NOT NULL,
	"currency" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rebate_settlements_pkey" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "rebates" (
	"id" text NOT NULL,
	"program_id" text NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"calendar" text NOT NULL,
	"metric" text NOT NULL,
	"line_filter" jsonb,
	"roll_up" boolean DEFAULT false NOT NULL,
	"scheme" text NOT NULL,
	"thresholds" jsonb NOT NULL,
	"growth_no_prior_year" text,
	"payout_currency" text NOT NULL,
	"grace_days" integer NOT NULL,
	"target" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rebates_pkey" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
ALTER TABLE "rebate_payouts" ADD CONSTRAINT "rebate_payouts_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rebate_payouts" ADD CONSTRAINT "rebate_payouts_settlement_fk" FOREIGN KEY ("program_id","settlement_id") REFERENCES "public"."rebate_settlements"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rebate_payouts" ADD CONSTRAINT "rebate_payouts_account_fk" FOREIGN KEY ("program_id","account_id") REFERENCES "public"."accounts"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rebate_settlements" ADD CONSTRAINT "rebate_settlements_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rebate_settlements" ADD CONSTRAINT "rebate_settlements_rebate_fk" FOREIGN KEY ("program_id","rebate_id") REFERENCES "public"."rebates"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rebates" ADD CONSTRAINT "rebates_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rebate_payouts_rebate_idx" ON "rebate_payouts" USING btree ("program_id","rebate_id","period","account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "rebate_payouts_step_unique" ON "rebate_payouts" USING btree ("program_id","rebate_id","period","account_id","paid_total") WHERE "rebate_payouts"."paid" > 0;--> statement-breakpoint
CREATE INDEX "rebate_settlements_period_idx" ON "rebate_settlements" USING btree ("program_id","rebate_id","period");