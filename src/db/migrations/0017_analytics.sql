CREATE TABLE "analytics_plans" (
	"program_id" text NOT NULL,
	"targets" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"checklist" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "analytics_plans_pkey" PRIMARY KEY("program_id")
);
--> statement-breakpoint
ALTER TABLE "analytics_plans" ADD CONSTRAINT "analytics_plans_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;