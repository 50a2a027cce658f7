ALTER TABLE "redemptions" ADD COLUMN "answers" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "rewards" ADD COLUMN "questions" jsonb DEFAULT '[]'::jsonb NOT NULL;