CREATE TABLE "spiffs" (
	"id" text NOT NULL,
	"program_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"skus" jsonb NOT NULL,
	"event_type" text NOT NULL,
	"reward_currency" text NOT NULL,
	"per_unit" bigint NOT NULL,
	"reward_to" text NOT NULL,
	"period_from" timestamp with time zone NOT NULL,
	"period_to" timestamp with time zone NOT NULL,
	"target" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"budget" bigint NOT NULL,
	"status" text NOT NULL,
	"rule_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "spiffs_pkey" PRIMARY KEY("program_id","id"),
	CONSTRAINT "spiffs_period_ordered" CHECK ("spiffs"."period_from" < "spiffs"."period_to"),
	CONSTRAINT "spiffs_amounts_positive" CHECK ("spiffs"."per_unit" > 0 and "spiffs"."budget" > 0)
);
--> statement-breakpoint
ALTER TABLE "spiffs" ADD CONSTRAINT "spiffs_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;