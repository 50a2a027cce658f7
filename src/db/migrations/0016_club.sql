CREATE TABLE "club_events" (
	"id" text NOT NULL,
	"program_id" text NOT NULL,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"description" text,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"place" text,
	"url" text,
	"capacity" integer NOT NULL,
	"audience" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"ticket_secret" text NOT NULL,
	"invited_at" timestamp with time zone,
	"reminded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "club_events_pkey" PRIMARY KEY("program_id","id"),
	CONSTRAINT "club_events_capacity_positive" CHECK ("club_events"."capacity" >= 1),
	CONSTRAINT "club_events_ends_after_start" CHECK ("club_events"."ends_at" >= "club_events"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "club_rsvps" (
	"program_id" text NOT NULL,
	"event_id" text NOT NULL,
	"member_id" text NOT NULL,
	"account_id" text NOT NULL,
	"status" text NOT NULL,
	"waitlisted_at" timestamp with time zone,
	"answered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"checked_in_at" timestamp with time zone,
	"attendance_event_id" text,
	CONSTRAINT "club_rsvps_pkey" PRIMARY KEY("program_id","event_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "club_stories" (
	"id" text NOT NULL,
	"program_id" text NOT NULL,
	"member_id" text NOT NULL,
	"account_id" text NOT NULL,
	"title" text NOT NULL,
	"text" text NOT NULL,
	"photos" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"audience" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"event_id" text,
	"reason" text,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "club_stories_pkey" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
ALTER TABLE "club_events" ADD CONSTRAINT "club_events_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "club_rsvps" ADD CONSTRAINT "club_rsvps_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "club_rsvps" ADD CONSTRAINT "club_rsvps_event_fk" FOREIGN KEY ("program_id","event_id") REFERENCES "public"."club_events"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "club_rsvps" ADD CONSTRAINT "club_rsvps_member_fk" FOREIGN KEY ("program_id","member_id") REFERENCES "public"."members"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "club_rsvps" ADD CONSTRAINT "club_rsvps_account_fk" FOREIGN KEY ("program_id","account_id") REFERENCES "public"."accounts"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "club_stories" ADD CONSTRAINT "club_stories_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "club_stories" ADD CONSTRAINT "club_stories_member_fk" FOREIGN KEY ("program_id","member_id") REFERENCES "public"."members"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "club_stories" ADD CONSTRAINT "club_stories_account_fk" FOREIGN KEY ("program_id","account_id") REFERENCES "public"."accounts"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "club_events_starts_idx" ON "club_events" USING btree ("program_id","starts_at");--> statement-breakpoint
CREATE INDEX "club_rsvps_status_idx" ON "club_rsvps" USING btree ("program_id","event_id","status","waitlisted_at");--> statement-breakpoint
CREATE INDEX "club_rsvps_account_idx" ON "club_rsvps" USING btree ("program_id","account_id");--> statement-breakpoint
CREATE INDEX "club_stories_status_idx" ON "club_stories" USING btree ("program_id","status","created_at");