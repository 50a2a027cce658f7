ALTER TABLE "accounts" DROP CONSTRAINT "accounts_parent_fk";--> statement-breakpoint
ALTER TABLE "members" DROP CONSTRAINT "members_account_id_accounts_id_fk";--> statement-breakpoint
ALTER TABLE "holds" DROP CONSTRAINT "holds_wallet_id_wallets_id_fk";--> statement-breakpoint
ALTER TABLE "lot_consumptions" DROP CONSTRAINT "lot_consumptions_transaction_id_ledger_transactions_id_fk";--> statement-breakpoint
ALTER TABLE "lot_consumptions" DROP CONSTRAINT "lot_consumptions_lot_id_lots_id_fk";--> statement-breakpoint
ALTER TABLE "lots" DROP CONSTRAINT "lots_wallet_id_wallets_id_fk";--> statement-breakpoint
ALTER TABLE "lots" DROP CONSTRAINT "lots_transaction_id_ledger_transactions_id_fk";--> statement-breakpoint
ALTER TABLE "postings" DROP CONSTRAINT "postings_transaction_id_ledger_transactions_id_fk";--> statement-breakpoint
ALTER TABLE "postings" DROP CONSTRAINT "postings_wallet_id_wallets_id_fk";--> statement-breakpoint
ALTER TABLE "message_events" DROP CONSTRAINT "message_events_message_id_messages_id_fk";--> statement-breakpoint
ALTER TABLE "redemptions" DROP CONSTRAINT "redemptions_reward_id_rewards_id_fk";--> statement-breakpoint
ALTER TABLE "redemptions" DROP CONSTRAINT "redemptions_account_id_accounts_id_fk";--> statement-breakpoint
ALTER TABLE "redemptions" DROP CONSTRAINT "redemptions_member_id_members_id_fk";--> statement-breakpoint
ALTER TABLE "redemptions" DROP CONSTRAINT "redemptions_partner_id_partners_id_fk";--> statement-breakpoint
ALTER TABLE "rewards" DROP CONSTRAINT "rewards_partner_id_partners_id_fk";--> statement-breakpoint
ALTER TABLE "stamp_cards" DROP CONSTRAINT "stamp_cards_reward_id_rewards_id_fk";--> statement-breakpoint
ALTER TABLE "webhook_attempts" DROP CONSTRAINT "webhook_attempts_delivery_id_webhook_deliveries_id_fk";--> statement-breakpoint
ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "webhook_deliveries_subscription_id_webhook_subscriptions_id_fk";--> statement-breakpoint
DROP INDEX "accounts_program_id_idx";--> statement-breakpoint
DROP INDEX "members_program_id_idx";--> statement-breakpoint
DROP INDEX "audit_program_id_idx";--> statement-breakpoint
DROP INDEX "campaigns_program_idx";--> statement-breakpoint
DROP INDEX "dev_mailbox_program_idx";--> statement-breakpoint
DROP INDEX "api_keys_program_idx";--> statement-breakpoint
DROP INDEX "partners_program_id_idx";--> statement-breakpoint
DROP INDEX "redemptions_program_id_idx";--> statement-breakpoint
DROP INDEX "rewards_program_id_idx";--> statement-breakpoint
DROP INDEX "rules_program_id_idx";--> statement-breakpoint
DROP INDEX "account_tier_state_program_idx";--> statement-breakpoint
DROP INDEX "users_program_id_idx";--> statement-breakpoint
DROP INDEX "webhook_subscriptions_program_idx";--> statement-breakpoint
DROP INDEX "api_keys_hash_uq";--> statement-breakpoint
DROP INDEX "webhook_deliveries_message_uq";--> statement-breakpoint
ALTER TABLE "account_monthly_stats" DROP CONSTRAINT "account_monthly_stats_account_id_month_pk";--> statement-breakpoint
ALTER TABLE "import_keys" DROP CONSTRAINT "import_keys_import_id_key_pk";--> statement-breakpoint
ALTER TABLE "import_rejects" DROP CONSTRAINT "import_rejects_import_id_seq_pk";--> statement-breakpoint
ALTER TABLE "rule_budget_usage" DROP CONSTRAINT "rule_budget_usage_rule_id_currency_pk";--> statement-breakpoint
ALTER TABLE "rule_cap_usage" DROP CONSTRAINT "rule_cap_usage_rule_id_effect_index_scope_key_period_key_pk";--> statement-breakpoint
ALTER TABLE "rule_versions" DROP CONSTRAINT "rule_versions_rule_id_version_pk";--> statement-breakpoint
ALTER TABLE "tier_metric_buckets" DROP CONSTRAINT "tier_metric_buckets_account_id_month_pk";--> statement-breakpoint
ALTER TABLE "accounts" DROP CONSTRAINT "accounts_pkey";--> statement-breakpoint
ALTER TABLE "members" DROP CONSTRAINT "members_pkey";--> statement-breakpoint
ALTER TABLE "audit_log" DROP CONSTRAINT "audit_log_pkey";--> statement-breakpoint
ALTER TABLE "awards" DROP CONSTRAINT "awards_pkey";--> statement-breakpoint
ALTER TABLE "imports" DROP CONSTRAINT "imports_pkey";--> statement-breakpoint
ALTER TABLE "holds" DROP CONSTRAINT "holds_pkey";--> statement-breakpoint
ALTER TABLE "ledger_transactions" DROP CONSTRAINT "ledger_transactions_pkey";--> statement-breakpoint
ALTER TABLE "lot_consumptions" DROP CONSTRAINT "lot_consumptions_pkey";--> statement-breakpoint
ALTER TABLE "lots" DROP CONSTRAINT "lots_pkey";--> statement-breakpoint
ALTER TABLE "postings" DROP CONSTRAINT "postings_pkey";--> statement-breakpoint
ALTER TABLE "wallets" DROP CONSTRAINT "wallets_pkey";--> statement-breakpoint
ALTER TABLE "campaigns" DROP CONSTRAINT "campaigns_pkey";--> statement-breakpoint
ALTER TABLE "dev_mailbox" DROP CONSTRAINT "dev_mailbox_pkey";--> statement-breakpoint
ALTER TABLE "message_events" DROP CONSTRAINT "message_events_pkey";--> statement-breakpoint
ALTER TABLE "message_templates" DROP CONSTRAINT "message_templates_pkey";--> statement-breakpoint
ALTER TABLE "messages" DROP CONSTRAINT "messages_pkey";--> statement-breakpoint
ALTER TABLE "messaging_channels" DROP CONSTRAINT "messaging_channels_pkey";--> statement-breakpoint
ALTER TABLE "api_keys" DROP CONSTRAINT "api_keys_pkey";--> statement-breakpoint
ALTER TABLE "partners" DROP CONSTRAINT "partners_pkey";--> statement-breakpoint
ALTER TABLE "redemptions" DROP CONSTRAINT "redemptions_pkey";--> statement-breakpoint
ALTER TABLE "rewards" DROP CONSTRAINT "rewards_pkey";--> statement-breakpoint
ALTER TABLE "rules" DROP CONSTRAINT "rules_pkey";--> statement-breakpoint
ALTER TABLE "account_tier_state" DROP CONSTRAINT "account_tier_state_pkey";--> statement-breakpoint
ALTER TABLE "tier_changes" DROP CONSTRAINT "tier_changes_pkey";--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_pkey";--> statement-breakpoint
ALTER TABLE "webhook_attempts" DROP CONSTRAINT "webhook_attempts_pkey";--> statement-breakpoint
ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "webhook_deliveries_pkey";--> statement-breakpoint
ALTER TABLE "webhook_subscriptions" DROP CONSTRAINT "webhook_subscriptions_pkey";--> statement-breakpoint
ALTER TABLE "import_keys" ADD COLUMN "program_id" text;--> statement-breakpoint
UPDATE "import_keys" SET "program_id" = p."program_id" FROM "imports" p WHERE p."id" = "import_keys"."import_id";--> statement-breakpoint
DELETE FROM "import_keys" WHERE "program_id" IS NULL;--> statement-breakpoint
ALTER TABLE "import_keys" ALTER COLUMN "program_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "message_events" ADD COLUMN "program_id" text;--> statement-breakpoint
UPDATE "message_events" SET "program_id" = p."program_id" FROM "messages" p WHERE p."id" = "message_events"."message_id";--> statement-breakpoint
DELETE FROM "message_events" WHERE "program_id" IS NULL;--> statement-breakpoint
ALTER TABLE "message_events" ALTER COLUMN "program_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD COLUMN "program_id" text;--> statement-breakpoint
UPDATE "webhook_attempts" SET "program_id" = p."program_id" FROM "webhook_deliveries" p WHERE p."id" = "webhook_attempts"."delivery_id";--> statement-breakpoint
DELETE FROM "webhook_attempts" WHERE "program_id" IS NULL;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ALTER COLUMN "program_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "account_monthly_stats" ADD CONSTRAINT "account_monthly_stats_pkey" PRIMARY KEY("program_id","account_id","month");--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "import_keys" ADD CONSTRAINT "import_keys_pkey" PRIMARY KEY("program_id","import_id","key");--> statement-breakpoint
ALTER TABLE "import_rejects" ADD CONSTRAINT "import_rejects_pkey" PRIMARY KEY("program_id","import_id","seq");--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "ledger_transactions" ADD CONSTRAINT "ledger_transactions_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "lot_consumptions" ADD CONSTRAINT "lot_consumptions_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "postings" ADD CONSTRAINT "postings_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "wallets" ADD CONSTRAINT "wallets_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "dev_mailbox" ADD CONSTRAINT "dev_mailbox_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "message_events" ADD CONSTRAINT "message_events_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "message_templates" ADD CONSTRAINT "message_templates_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "messaging_channels" ADD CONSTRAINT "messaging_channels_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "partners" ADD CONSTRAINT "partners_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "redemptions" ADD CONSTRAINT "redemptions_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "rewards" ADD CONSTRAINT "rewards_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "rule_budget_usage" ADD CONSTRAINT "rule_budget_usage_pkey" PRIMARY KEY("program_id","rule_id","currency");--> statement-breakpoint
ALTER TABLE "rule_cap_usage" ADD CONSTRAINT "rule_cap_usage_pkey" PRIMARY KEY("program_id","rule_id","effect_index","scope_key","period_key");--> statement-breakpoint
ALTER TABLE "rule_versions" ADD CONSTRAINT "rule_versions_pkey" PRIMARY KEY("program_id","rule_id","version");--> statement-breakpoint
ALTER TABLE "rules" ADD CONSTRAINT "rules_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "account_tier_state" ADD CONSTRAINT "account_tier_state_pkey" PRIMARY KEY("program_id","account_id");--> statement-breakpoint
ALTER TABLE "tier_changes" ADD CONSTRAINT "tier_changes_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "tier_metric_buckets" ADD CONSTRAINT "tier_metric_buckets_pkey" PRIMARY KEY("program_id","account_id","month");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "webhook_subscriptions" ADD CONSTRAINT "webhook_subscriptions_pkey" PRIMARY KEY("program_id","id");--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_parent_fk" FOREIGN KEY ("program_id","parent_id") REFERENCES "public"."accounts"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_account_fk" FOREIGN KEY ("program_id","account_id") REFERENCES "public"."accounts"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_monthly_stats" ADD CONSTRAINT "account_monthly_stats_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_keys" ADD CONSTRAINT "import_keys_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_rejects" ADD CONSTRAINT "import_rejects_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_wallet_fk" FOREIGN KEY ("program_id","wallet_id") REFERENCES "public"."wallets"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transactions" ADD CONSTRAINT "ledger_transactions_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_consumptions" ADD CONSTRAINT "lot_consumptions_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_consumptions" ADD CONSTRAINT "lot_consumptions_transaction_fk" FOREIGN KEY ("program_id","transaction_id") REFERENCES "public"."ledger_transactions"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_consumptions" ADD CONSTRAINT "lot_consumptions_lot_fk" FOREIGN KEY ("program_id","lot_id") REFERENCES "public"."lots"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_wallet_fk" FOREIGN KEY ("program_id","wallet_id") REFERENCES "public"."wallets"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_transaction_fk" FOREIGN KEY ("program_id","transaction_id") REFERENCES "public"."ledger_transactions"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postings" ADD CONSTRAINT "postings_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postings" ADD CONSTRAINT "postings_transaction_fk" FOREIGN KEY ("program_id","transaction_id") REFERENCES "public"."ledger_transactions"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postings" ADD CONSTRAINT "postings_wallet_fk" FOREIGN KEY ("program_id","wallet_id") REFERENCES "public"."wallets"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallets" ADD CONSTRAINT "wallets_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_events" ADD CONSTRAINT "message_events_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_events" ADD CONSTRAINT "message_events_message_fk" FOREIGN KEY ("program_id","message_id") REFERENCES "public"."messages"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemptions" ADD CONSTRAINT "redemptions_reward_fk" FOREIGN KEY ("program_id","reward_id") REFERENCES "public"."rewards"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemptions" ADD CONSTRAINT "redemptions_account_fk" FOREIGN KEY ("program_id","account_id") REFERENCES "public"."accounts"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemptions" ADD CONSTRAINT "redemptions_member_fk" FOREIGN KEY ("program_id","member_id") REFERENCES "public"."members"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redemptions" ADD CONSTRAINT "redemptions_partner_fk" FOREIGN KEY ("program_id","partner_id") REFERENCES "public"."partners"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rewards" ADD CONSTRAINT "rewards_partner_fk" FOREIGN KEY ("program_id","partner_id") REFERENCES "public"."partners"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stamp_cards" ADD CONSTRAINT "stamp_cards_reward_fk" FOREIGN KEY ("program_id","reward_id") REFERENCES "public"."rewards"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rule_budget_usage" ADD CONSTRAINT "rule_budget_usage_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rule_cap_usage" ADD CONSTRAINT "rule_cap_usage_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rule_versions" ADD CONSTRAINT "rule_versions_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rules" ADD CONSTRAINT "rules_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_tier_state" ADD CONSTRAINT "account_tier_state_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accumulative_discount_steps" ADD CONSTRAINT "accumulative_discount_steps_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tier_changes" ADD CONSTRAINT "tier_changes_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tier_ladders" ADD CONSTRAINT "tier_ladders_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tier_metric_buckets" ADD CONSTRAINT "tier_metric_buckets_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tiers" ADD CONSTRAINT "tiers_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_delivery_fk" FOREIGN KEY ("program_id","delivery_id") REFERENCES "public"."webhook_deliveries"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_subscription_fk" FOREIGN KEY ("program_id","subscription_id") REFERENCES "public"."webhook_subscriptions"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "messages_id_idx" ON "messages" USING btree ("id");--> statement-breakpoint
CREATE INDEX "api_keys_hash_idx" ON "api_keys" USING btree ("hash");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_hash_uq" ON "api_keys" USING btree ("program_id","hash");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_message_uq" ON "webhook_deliveries" USING btree ("program_id","subscription_id","message_id");--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_amount_positive" CHECK ("holds"."amount" > 0);--> statement-breakpoint
ALTER TABLE "wallets" ADD CONSTRAINT "wallets_held_nonnegative" CHECK ("wallets"."held" >= 0);--> statement-breakpoint
ALTER TABLE "wallets" ADD CONSTRAINT "wallets_pending_nonnegative" CHECK ("wallets"."pending" >= 0);
