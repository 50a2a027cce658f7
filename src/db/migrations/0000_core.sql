CREATE TABLE "accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"external_id" text NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"parent_id" text,
	"segment" text,
	"region" text,
	"manager_id" text,
	"status" text DEFAULT 'active' NOT NULL,
	"employee_incentives" boolean DEFAULT true NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "members" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"account_id" text NOT NULL,
	"external_id" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"email" text,
	"phone" text,
	"locale" text,
	"channels" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"consent" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"partner_admin" boolean DEFAULT false NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"action" text NOT NULL,
	"object_type" text NOT NULL,
	"object_id" text,
	"before" jsonb,
	"after" jsonb,
	"request_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "account_monthly_stats" (
	"program_id" text NOT NULL,
	"account_id" text NOT NULL,
	"month" text NOT NULL,
	"purchases" integer DEFAULT 0 NOT NULL,
	"spend" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "account_monthly_stats_account_id_month_pk" PRIMARY KEY("account_id","month")
);
--> statement-breakpoint
CREATE TABLE "awards" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"event_id" text NOT NULL,
	"rule_id" text NOT NULL,
	"rule_version" integer NOT NULL,
	"effect_index" integer NOT NULL,
	"owner_type" text NOT NULL,
	"owner_id" text NOT NULL,
	"account_id" text NOT NULL,
	"currency" text NOT NULL,
	"amount" bigint NOT NULL,
	"reversed" bigint DEFAULT 0 NOT NULL,
	"debt" bigint DEFAULT 0 NOT NULL,
	"available_at" timestamp with time zone NOT NULL,
	"ledger_transaction_id" text NOT NULL,
	"cap_scope_key" text,
	"cap_period_key" text,
	"counts_against_budget" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"program_id" text NOT NULL,
	"id" text NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"account_id" text NOT NULL,
	"member_id" text,
	"amount" bigint,
	"currency" text,
	"original_event_id" text,
	"returned_amount" bigint DEFAULT 0 NOT NULL,
	"payload" jsonb NOT NULL,
	"request_hash" text NOT NULL,
	"answer" jsonb NOT NULL,
	"trace" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "events_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"program_id" text NOT NULL,
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status_code" integer,
	"response" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_program_id_scope_key_pk" PRIMARY KEY("program_id","scope","key")
);
--> statement-breakpoint
CREATE TABLE "holds" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"wallet_id" text NOT NULL,
	"currency" text NOT NULL,
	"amount" bigint NOT NULL,
	"status" text NOT NULL,
	"hold_transaction_id" text NOT NULL,
	"settle_transaction_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "ledger_transactions" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"kind" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"memo" text,
	"event_id" text,
	"redemption_id" text,
	"hold_id" text,
	"reverses_id" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lot_consumptions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"transaction_id" text NOT NULL,
	"lot_id" text NOT NULL,
	"amount" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lots" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"wallet_id" text NOT NULL,
	"transaction_id" text NOT NULL,
	"status" text NOT NULL,
	"amount" bigint NOT NULL,
	"remaining" bigint NOT NULL,
	"available_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lots_remaining_range" CHECK ("lots"."remaining" >= 0 and "lots"."remaining" <= "lots"."amount")
);
--> statement-breakpoint
CREATE TABLE "postings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"transaction_id" text NOT NULL,
	"wallet_id" text NOT NULL,
	"bucket" text NOT NULL,
	"currency" text NOT NULL,
	"amount" bigint NOT NULL,
	"rule_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "postings_amount_nonzero" CHECK ("postings"."amount" <> 0)
);
--> statement-breakpoint
CREATE TABLE "wallets" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"currency" text NOT NULL,
	"owner_type" text NOT NULL,
	"owner_id" text NOT NULL,
	"account_id" text,
	"available" bigint DEFAULT 0 NOT NULL,
	"pending" bigint DEFAULT 0 NOT NULL,
	"held" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "portal_codes" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"member_id" text NOT NULL,
	"address_hash" text NOT NULL,
	"code_hash" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "currencies" (
	"program_id" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"money_currency" text,
	"expiry_months" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "currencies_program_id_code_pk" PRIMARY KEY("program_id","code")
);
--> statement-breakpoint
CREATE TABLE "event_types" (
	"program_id" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_types_program_id_code_pk" PRIMARY KEY("program_id","code")
);
--> statement-breakpoint
CREATE TABLE "programs" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"default_locale" text DEFAULT 'en' NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"account_share" integer DEFAULT 80 NOT NULL,
	"allow_negative" boolean DEFAULT false NOT NULL,
	"auto_create_accounts" boolean DEFAULT false NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "roles" (
	"program_id" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "roles_program_id_code_pk" PRIMARY KEY("program_id","code")
);
--> statement-breakpoint
CREATE TABLE "partners" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"external_id" text,
	"name" text NOT NULL,
	"type" text,
	"currency" text,
	"contact" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "redemptions" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"reward_id" text NOT NULL,
	"account_id" text NOT NULL,
	"member_id" text,
	"qty" integer NOT NULL,
	"cost_currency" text NOT NULL,
	"unit_cost" bigint NOT NULL,
	"cost_amount" bigint NOT NULL,
	"hold_id" text,
	"status" text NOT NULL,
	"source" text DEFAULT 'request' NOT NULL,
	"partner_id" text,
	"partner_currency" text,
	"partner_unit_price" bigint,
	"partner_amount" bigint,
	"shipping_address" jsonb,
	"note" text,
	"voucher_code" text,
	"valid_until" timestamp with time zone,
	"tracking_number" text,
	"receipt_number" text,
	"history" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"fulfilled_at" timestamp with time zone,
	CONSTRAINT "redemptions_qty_positive" CHECK ("redemptions"."qty" > 0)
);
--> statement-breakpoint
CREATE TABLE "rewards" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"external_id" text,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"texts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"category" text,
	"images" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"cost_currency" text NOT NULL,
	"cost_amount" bigint NOT NULL,
	"stock" integer,
	"eligibility" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"active_from" timestamp with time zone,
	"active_to" timestamp with time zone,
	"auto_approve" boolean DEFAULT false NOT NULL,
	"charity" text,
	"partner_id" text,
	"partner_price_amount" bigint,
	"partner_price_currency" text,
	"validity_days" integer,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rewards_stock_nonneg" CHECK ("rewards"."stock" is null or "rewards"."stock" >= 0)
);
--> statement-breakpoint
CREATE TABLE "stamp_cards" (
	"program_id" text NOT NULL,
	"currency" text NOT NULL,
	"stamps_per_card" integer NOT NULL,
	"reward_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stamp_cards_program_id_currency_pk" PRIMARY KEY("program_id","currency"),
	CONSTRAINT "stamp_cards_size_positive" CHECK ("stamp_cards"."stamps_per_card" > 0)
);
--> statement-breakpoint
CREATE TABLE "rule_budget_usage" (
	"program_id" text NOT NULL,
	"rule_id" text NOT NULL,
	"currency" text NOT NULL,
	"used" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "rule_budget_usage_rule_id_currency_pk" PRIMARY KEY("rule_id","currency")
);
--> statement-breakpoint
CREATE TABLE "rule_cap_usage" (
	"program_id" text NOT NULL,
	"rule_id" text NOT NULL,
	"effect_index" integer NOT NULL,
	"scope_key" text NOT NULL,
	"period_key" text NOT NULL,
	"used" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "rule_cap_usage_rule_id_effect_index_scope_key_period_key_pk" PRIMARY KEY("rule_id","effect_index","scope_key","period_key")
);
--> statement-breakpoint
CREATE TABLE "rule_versions" (
	"program_id" text NOT NULL,
	"rule_id" text NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"created_by" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rule_versions_rule_id_version_pk" PRIMARY KEY("rule_id","version")
);
--> statement-breakpoint
CREATE TABLE "rules" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"current_version" integer NOT NULL,
	"status" text NOT NULL,
	"event_type" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "auth_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"bucket" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"csrf_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "account_tier_state" (
	"account_id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"external_id" text NOT NULL,
	"account_type" text NOT NULL,
	"tier_code" text,
	"tier_since" timestamp with time zone,
	"below_since" timestamp with time zone,
	"tier_discount_bp" integer DEFAULT 0 NOT NULL,
	"lifetime_spend" bigint DEFAULT 0 NOT NULL,
	"accumulative_discount_bp" integer DEFAULT 0 NOT NULL,
	"override_tier_code" text,
	"override_tier_discount_bp" integer,
	"override_discount_bp" integer,
	"override_expires_at" timestamp with time zone,
	"override_reason" text,
	"override_since" timestamp with time zone,
	"version" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "accumulative_discount_steps" (
	"program_id" text NOT NULL,
	"min_spend" bigint NOT NULL,
	"discount_bp" integer NOT NULL,
	CONSTRAINT "accumulative_discount_steps_program_id_min_spend_pk" PRIMARY KEY("program_id","min_spend")
);
--> statement-breakpoint
CREATE TABLE "tier_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"account_id" text NOT NULL,
	"from_tier" text,
	"to_tier" text,
	"reason" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tier_ladders" (
	"program_id" text NOT NULL,
	"code" text NOT NULL,
	"account_types" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tier_ladders_program_id_code_pk" PRIMARY KEY("program_id","code")
);
--> statement-breakpoint
CREATE TABLE "tier_metric_buckets" (
	"program_id" text NOT NULL,
	"account_id" text NOT NULL,
	"month" text NOT NULL,
	"spend" bigint DEFAULT 0 NOT NULL,
	"units" bigint DEFAULT 0 NOT NULL,
	"points" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "tier_metric_buckets_account_id_month_pk" PRIMARY KEY("account_id","month")
);
--> statement-breakpoint
CREATE TABLE "tiers" (
	"program_id" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"ladder" text DEFAULT 'default' NOT NULL,
	"rank" integer NOT NULL,
	"metric" text NOT NULL,
	"rolling_months" integer,
	"calendar" text,
	"min" bigint NOT NULL,
	"discount_bp" integer DEFAULT 0 NOT NULL,
	"multiplier_milli" integer DEFAULT 1000 NOT NULL,
	"perks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"grace_days" integer DEFAULT 30 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tiers_program_id_code_pk" PRIMARY KEY("program_id","code")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"password_hash" text NOT NULL,
	"locale" text,
	"sees_all_accounts" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "webhook_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"delivery_id" text NOT NULL,
	"attempt" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"status_code" integer,
	"duration_ms" integer NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"subscription_id" text NOT NULL,
	"message_id" text NOT NULL,
	"event_type" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"cycle_start" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"locked_until" timestamp with time zone,
	"claim_token" text,
	"last_status_code" integer,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_deliveries_attempts_ck" CHECK ("webhook_deliveries"."attempts" >= 0 and "webhook_deliveries"."cycle_start" >= 0 and "webhook_deliveries"."cycle_start" <= "webhook_deliveries"."attempts")
);
--> statement-breakpoint
CREATE TABLE "webhook_subscriptions" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"url" text NOT NULL,
	"event_types" text[] NOT NULL,
	"description" text,
	"active" boolean DEFAULT true NOT NULL,
	"secret" text NOT NULL,
	"previous_secret" text,
	"previous_secret_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_runs" (
	"name" text PRIMARY KEY NOT NULL,
	"last_run_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_wallet_id_wallets_id_fk" FOREIGN KEY ("wallet_id") REFERENCES "public"."wallets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_consumptions" ADD CONSTRAINT "lot_consumptions_transaction_id_ledger_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."ledger_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_consumptions" ADD CONSTRAINT "lot_consumptions_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_wallet_id_wallets_id_fk" FOREIGN KEY ("wallet_id") REFERENCES "public"."wallets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_transaction_id_ledger_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."ledger_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postings" ADD CONSTRAINT "postings_transaction_id_ledger_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."ledger_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postings" ADD CONSTRAINT "postings_wallet_id_wallets_id_fk" FOREIGN KEY ("wallet_id") REFERENCES "public"."wallets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_codes" ADD CONSTRAINT "portal_codes_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "currencies" ADD CONSTRAINT "currencies_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_types" ADD CONSTRAINT "event_types_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roles" ADD CONSTRAINT "roles_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partners" ADD CONSTRAINT "partners_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemptions" ADD CONSTRAINT "redemptions_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemptions" ADD CONSTRAINT "redemptions_reward_id_rewards_id_fk" FOREIGN KEY ("reward_id") REFERENCES "public"."rewards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemptions" ADD CONSTRAINT "redemptions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemptions" ADD CONSTRAINT "redemptions_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemptions" ADD CONSTRAINT "redemptions_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rewards" ADD CONSTRAINT "rewards_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rewards" ADD CONSTRAINT "rewards_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stamp_cards" ADD CONSTRAINT "stamp_cards_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stamp_cards" ADD CONSTRAINT "stamp_cards_reward_id_rewards_id_fk" FOREIGN KEY ("reward_id") REFERENCES "public"."rewards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stamp_cards" ADD CONSTRAINT "stamp_cards_currency_fk" FOREIGN KEY ("program_id","currency") REFERENCES "public"."currencies"("program_id","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_subscription_id_webhook_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."webhook_subscriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_subscriptions" ADD CONSTRAINT "webhook_subscriptions_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_program_ext_uq" ON "accounts" USING btree ("program_id","external_id");--> statement-breakpoint
CREATE INDEX "accounts_program_id_idx" ON "accounts" USING btree ("program_id","id");--> statement-breakpoint
CREATE INDEX "accounts_parent_idx" ON "accounts" USING btree ("program_id","parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "members_program_ext_uq" ON "members" USING btree ("program_id","external_id");--> statement-breakpoint
CREATE INDEX "members_program_id_idx" ON "members" USING btree ("program_id","id");--> statement-breakpoint
CREATE INDEX "members_account_idx" ON "members" USING btree ("program_id","account_id");--> statement-breakpoint
CREATE INDEX "audit_program_id_idx" ON "audit_log" USING btree ("program_id","id");--> statement-breakpoint
CREATE INDEX "audit_object_idx" ON "audit_log" USING btree ("program_id","object_type","object_id");--> statement-breakpoint
CREATE INDEX "awards_event_idx" ON "awards" USING btree ("program_id","event_id");--> statement-breakpoint
CREATE INDEX "awards_rule_idx" ON "awards" USING btree ("program_id","rule_id");--> statement-breakpoint
CREATE INDEX "events_type_time_idx" ON "events" USING btree ("program_id","type","occurred_at");--> statement-breakpoint
CREATE INDEX "events_account_time_idx" ON "events" USING btree ("program_id","account_id","occurred_at");--> statement-breakpoint
CREATE INDEX "events_created_idx" ON "events" USING btree ("program_id","created_at");--> statement-breakpoint
CREATE INDEX "idempotency_created_idx" ON "idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "holds_wallet_idx" ON "holds" USING btree ("wallet_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_tx_idem_uq" ON "ledger_transactions" USING btree ("program_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "ledger_tx_reverses_idx" ON "ledger_transactions" USING btree ("program_id","reverses_id");--> statement-breakpoint
CREATE INDEX "ledger_tx_event_idx" ON "ledger_transactions" USING btree ("program_id","event_id");--> statement-breakpoint
CREATE INDEX "lot_consumptions_tx_idx" ON "lot_consumptions" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "lot_consumptions_lot_idx" ON "lot_consumptions" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "lots_wallet_open_idx" ON "lots" USING btree ("wallet_id","status","expires_at");--> statement-breakpoint
CREATE INDEX "lots_due_available_idx" ON "lots" USING btree ("available_at") WHERE "lots"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "lots_due_expiry_idx" ON "lots" USING btree ("expires_at") WHERE "lots"."status" = 'available' and "lots"."remaining" > 0;--> statement-breakpoint
CREATE INDEX "postings_wallet_idx" ON "postings" USING btree ("wallet_id","id");--> statement-breakpoint
CREATE INDEX "postings_tx_idx" ON "postings" USING btree ("transaction_id");--> statement-breakpoint
CREATE UNIQUE INDEX "wallets_owner_uq" ON "wallets" USING btree ("program_id","owner_type","owner_id","currency");--> statement-breakpoint
CREATE INDEX "portal_codes_address_idx" ON "portal_codes" USING btree ("address_hash","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_hash_uq" ON "api_keys" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "api_keys_program_idx" ON "api_keys" USING btree ("program_id");--> statement-breakpoint
CREATE UNIQUE INDEX "partners_program_ext_uq" ON "partners" USING btree ("program_id","external_id");--> statement-breakpoint
CREATE INDEX "partners_program_id_idx" ON "partners" USING btree ("program_id","id");--> statement-breakpoint
CREATE INDEX "redemptions_program_id_idx" ON "redemptions" USING btree ("program_id","id");--> statement-breakpoint
CREATE INDEX "redemptions_status_idx" ON "redemptions" USING btree ("program_id","status","id");--> statement-breakpoint
CREATE INDEX "redemptions_member_idx" ON "redemptions" USING btree ("program_id","member_id");--> statement-breakpoint
CREATE INDEX "redemptions_account_idx" ON "redemptions" USING btree ("program_id","account_id");--> statement-breakpoint
CREATE INDEX "redemptions_reward_idx" ON "redemptions" USING btree ("program_id","reward_id");--> statement-breakpoint
CREATE INDEX "redemptions_partner_idx" ON "redemptions" USING btree ("program_id","partner_id","fulfilled_at");--> statement-breakpoint
CREATE UNIQUE INDEX "redemptions_voucher_uq" ON "redemptions" USING btree ("program_id","voucher_code");--> statement-breakpoint
CREATE UNIQUE INDEX "rewards_program_ext_uq" ON "rewards" USING btree ("program_id","external_id");--> statement-breakpoint
CREATE INDEX "rewards_program_id_idx" ON "rewards" USING btree ("program_id","id");--> statement-breakpoint
CREATE INDEX "rewards_partner_idx" ON "rewards" USING btree ("program_id","partner_id");--> statement-breakpoint
CREATE INDEX "rules_program_type_idx" ON "rules" USING btree ("program_id","event_type","status");--> statement-breakpoint
CREATE INDEX "rules_program_id_idx" ON "rules" USING btree ("program_id","id");--> statement-breakpoint
CREATE INDEX "auth_attempts_bucket_idx" ON "auth_attempts" USING btree ("bucket","at");--> statement-breakpoint
CREATE INDEX "sessions_subject_idx" ON "sessions" USING btree ("program_id","subject_type","subject_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "account_tier_state_ext_uq" ON "account_tier_state" USING btree ("program_id","external_id");--> statement-breakpoint
CREATE INDEX "account_tier_state_tier_idx" ON "account_tier_state" USING btree ("program_id","tier_code");--> statement-breakpoint
CREATE INDEX "account_tier_state_program_idx" ON "account_tier_state" USING btree ("program_id","account_id");--> statement-breakpoint
CREATE INDEX "account_tier_state_override_idx" ON "account_tier_state" USING btree ("program_id","override_expires_at");--> statement-breakpoint
CREATE INDEX "tier_changes_account_idx" ON "tier_changes" USING btree ("program_id","account_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "tiers_ladder_rank_uq" ON "tiers" USING btree ("program_id","ladder","rank");--> statement-breakpoint
CREATE UNIQUE INDEX "users_program_email_uq" ON "users" USING btree ("program_id","email");--> statement-breakpoint
CREATE INDEX "users_email_idx" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "users_program_id_idx" ON "users" USING btree ("program_id","id");--> statement-breakpoint
CREATE INDEX "webhook_attempts_delivery_idx" ON "webhook_attempts" USING btree ("delivery_id","attempt");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_message_uq" ON "webhook_deliveries" USING btree ("subscription_id","message_id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_subscription_idx" ON "webhook_deliveries" USING btree ("subscription_id","id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "webhook_subscriptions_program_idx" ON "webhook_subscriptions" USING btree ("program_id","id");