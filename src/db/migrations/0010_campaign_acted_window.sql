ALTER TABLE "campaigns" ADD COLUMN "acted_within_days" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
CREATE INDEX "campaigns_offer_rule_idx" ON "campaigns" USING btree ("program_id",("offer"->>'ruleId'));--> statement-breakpoint
CREATE INDEX "campaigns_offer_reward_idx" ON "campaigns" USING btree ("program_id",("offer"->>'rewardId'));