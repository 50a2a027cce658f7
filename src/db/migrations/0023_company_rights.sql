CREATE TABLE "company_wallet_limits" (
	"program_id" text NOT NULL,
	"role" text NOT NULL,
	"currency" text NOT NULL,
	"per_redemption" bigint,
	"per_month" bigint,
	CONSTRAINT "company_wallet_limits_pkey" PRIMARY KEY("program_id","role","currency"),
	CONSTRAINT "company_wallet_limits_nonneg" CHECK (("company_wallet_limits"."per_redemption" is null or "company_wallet_limits"."per_redemption" >= 0) and ("company_wallet_limits"."per_month" is null or "company_wallet_limits"."per_month" >= 0))
);
--> statement-breakpoint
CREATE TABLE "company_wallet_rights" (
	"program_id" text NOT NULL,
	"role" text NOT NULL,
	"redeem" boolean DEFAULT false NOT NULL,
	"reward_ids" text[],
	"categories" text[],
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "company_wallet_rights_pkey" PRIMARY KEY("program_id","role")
);
--> statement-breakpoint
ALTER TABLE "redemptions" ADD COLUMN "requested_by" text;--> statement-breakpoint
ALTER TABLE "redemptions" ADD COLUMN "approval_required" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "company_wallet_limits" ADD CONSTRAINT "company_wallet_limits_rights_fk" FOREIGN KEY ("program_id","role") REFERENCES "public"."company_wallet_rights"("program_id","role") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "company_wallet_rights" ADD CONSTRAINT "company_wallet_rights_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemptions" ADD CONSTRAINT "redemptions_requested_by_fk" FOREIGN KEY ("program_id","requested_by") REFERENCES "public"."members"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "redemptions_requested_by_idx" ON "redemptions" USING btree ("program_id","requested_by","created_at");