CREATE TABLE "course_attempts" (
	"program_id" text NOT NULL,
	"course_id" text NOT NULL,
	"member_id" text NOT NULL,
	"number" integer NOT NULL,
	"question_order" jsonb NOT NULL,
	"answers" jsonb NOT NULL,
	"score_percent" integer NOT NULL,
	"passed" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "course_attempts_pkey" PRIMARY KEY("program_id","course_id","member_id","number")
);
--> statement-breakpoint
CREATE TABLE "course_progress" (
	"program_id" text NOT NULL,
	"course_id" text NOT NULL,
	"member_id" text NOT NULL,
	"lessons_done" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"best_score" integer,
	"completion_id" text,
	"completed_score" integer,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "course_progress_pkey" PRIMARY KEY("program_id","course_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "course_signing_keys" (
	"program_id" text PRIMARY KEY NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "courses" (
	"id" text NOT NULL,
	"program_id" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"locale" text DEFAULT 'en' NOT NULL,
	"status" text DEFAULT 'published' NOT NULL,
	"lessons" jsonb NOT NULL,
	"questions" jsonb NOT NULL,
	"pass_percent" integer NOT NULL,
	"attempts_allowed" integer,
	"audience" jsonb,
	"required_for" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"translations" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "courses_pkey" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
ALTER TABLE "course_attempts" ADD CONSTRAINT "course_attempts_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_attempts" ADD CONSTRAINT "course_attempts_progress_fk" FOREIGN KEY ("program_id","course_id","member_id") REFERENCES "public"."course_progress"("program_id","course_id","member_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_progress" ADD CONSTRAINT "course_progress_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_progress" ADD CONSTRAINT "course_progress_course_fk" FOREIGN KEY ("program_id","course_id") REFERENCES "public"."courses"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_progress" ADD CONSTRAINT "course_progress_member_fk" FOREIGN KEY ("program_id","member_id") REFERENCES "public"."members"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_signing_keys" ADD CONSTRAINT "course_signing_keys_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "courses" ADD CONSTRAINT "courses_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "course_progress_completion_idx" ON "course_progress" USING btree ("program_id","completion_id");--> statement-breakpoint
CREATE INDEX "courses_status_idx" ON "courses" USING btree ("program_id","status","created_at");