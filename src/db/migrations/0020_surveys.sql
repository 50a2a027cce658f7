CREATE TABLE "survey_invitations" (
	"id" text NOT NULL,
	"program_id" text NOT NULL,
	"survey_id" text NOT NULL,
	"member_id" text NOT NULL,
	"account_id" text NOT NULL,
	"occasion" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"reminded_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "survey_invitations_pkey" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "survey_responses" (
	"id" text NOT NULL,
	"program_id" text NOT NULL,
	"survey_id" text NOT NULL,
	"mode" text NOT NULL,
	"invitation_id" text,
	"member_id" text,
	"account_id" text NOT NULL,
	"role" text,
	"segment" text,
	"account_type" text,
	"region" text,
	"score" smallint,
	"answers" jsonb NOT NULL,
	"comment" text,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"source" text NOT NULL,
	"contact" jsonb,
	"consent" boolean DEFAULT false NOT NULL,
	"answered_at" timestamp with time zone NOT NULL,
	CONSTRAINT "survey_responses_pkey" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "survey_tasks" (
	"id" text NOT NULL,
	"program_id" text NOT NULL,
	"survey_id" text NOT NULL,
	"response_id" text NOT NULL,
	"account_id" text NOT NULL,
	"member_id" text,
	"assignee_id" text,
	"status" text DEFAULT 'open' NOT NULL,
	"note" text,
	"escalated_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "survey_tasks_pkey" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "surveys" (
	"id" text NOT NULL,
	"program_id" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"mode" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"questions" jsonb NOT NULL,
	"intro" jsonb,
	"audience" jsonb,
	"sampling" jsonb,
	"schedule" jsonb,
	"next_run_at" timestamp with time zone,
	"trigger_event_type" text,
	"throttle_days" integer NOT NULL,
	"reminder_days" integer,
	"link_days" integer NOT NULL,
	"reward_currency" text,
	"reward_amount" bigint,
	"account_method" text NOT NULL,
	"escalation_days" integer NOT NULL,
	"link_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "surveys_pkey" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
ALTER TABLE "survey_invitations" ADD CONSTRAINT "survey_invitations_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_invitations" ADD CONSTRAINT "survey_invitations_survey_fk" FOREIGN KEY ("program_id","survey_id") REFERENCES "public"."surveys"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_survey_fk" FOREIGN KEY ("program_id","survey_id") REFERENCES "public"."surveys"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_account_fk" FOREIGN KEY ("program_id","account_id") REFERENCES "public"."accounts"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_tasks" ADD CONSTRAINT "survey_tasks_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "survey_invitations_occasion_unique" ON "survey_invitations" USING btree ("program_id","survey_id","member_id","occasion");--> statement-breakpoint
CREATE INDEX "survey_invitations_member_idx" ON "survey_invitations" USING btree ("program_id","member_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_responses_invitation_unique" ON "survey_responses" USING btree ("program_id","invitation_id");--> statement-breakpoint
CREATE INDEX "survey_responses_survey_idx" ON "survey_responses" USING btree ("program_id","survey_id","answered_at");--> statement-breakpoint
CREATE INDEX "survey_responses_account_idx" ON "survey_responses" USING btree ("program_id","account_id","answered_at");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_tasks_response_unique" ON "survey_tasks" USING btree ("program_id","response_id");--> statement-breakpoint
CREATE INDEX "survey_tasks_status_idx" ON "survey_tasks" USING btree ("program_id","status","created_at");--> statement-breakpoint
CREATE INDEX "surveys_due_idx" ON "surveys" USING btree ("next_run_at");