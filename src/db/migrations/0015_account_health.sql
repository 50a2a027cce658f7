CREATE TABLE "account_health" (
	"program_id" text NOT NULL,
	"account_id" text NOT NULL,
	"purchases" integer DEFAULT 0 NOT NULL,
	"last_purchase_at" timestamp with time zone,
	"intervals" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'ok' NOT NULL,
	"score" integer DEFAULT 0 NOT NULL,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"spend_12m" bigint DEFAULT 0 NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "account_health_pkey" PRIMARY KEY("program_id","account_id")
);
--> statement-breakpoint
ALTER TABLE "account_health" ADD CONSTRAINT "account_health_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_health" ADD CONSTRAINT "account_health_account_fk" FOREIGN KEY ("program_id","account_id") REFERENCES "public"."accounts"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "account_health_score_idx" ON "account_health" USING btree ("program_id","score","account_id");