CREATE TABLE "card_designs" (
	"id" text NOT NULL,
	"program_id" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"colors" jsonb NOT NULL,
	"fields" jsonb NOT NULL,
	"barcode" text NOT NULL,
	"currency" text,
	"texts" jsonb NOT NULL,
	"logo_file_id" text,
	"strip_file_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "card_designs_pkey" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "card_devices" (
	"device_library_id" text NOT NULL,
	"pass_type_id" text NOT NULL,
	"card_id" text NOT NULL,
	"program_id" text NOT NULL,
	"push_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "card_devices_pkey" PRIMARY KEY("program_id","device_library_id","pass_type_id","card_id")
);
--> statement-breakpoint
CREATE TABLE "card_issuers" (
	"program_id" text PRIMARY KEY NOT NULL,
	"token_key" text NOT NULL,
	"apple" jsonb,
	"apple_sealed" text,
	"google" jsonb,
	"google_sealed" text
);
--> statement-breakpoint
CREATE TABLE "card_updates" (
	"id" text NOT NULL,
	"program_id" text NOT NULL,
	"card_id" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "card_updates_pkey" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "cards" (
	"id" text NOT NULL,
	"program_id" text NOT NULL,
	"design_id" text NOT NULL,
	"member_id" text NOT NULL,
	"auth_token" text NOT NULL,
	"face_hash" text,
	"change_message" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_push_at" timestamp with time zone,
	"google_notified" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cards_pkey" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
ALTER TABLE "card_designs" ADD CONSTRAINT "card_designs_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "card_devices" ADD CONSTRAINT "card_devices_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "card_issuers" ADD CONSTRAINT "card_issuers_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "card_updates" ADD CONSTRAINT "card_updates_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cards" ADD CONSTRAINT "cards_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "card_devices_card_idx" ON "card_devices" USING btree ("card_id");--> statement-breakpoint
CREATE INDEX "card_updates_pending_idx" ON "card_updates" USING btree ("status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "cards_member_design_unique" ON "cards" USING btree ("program_id","design_id","member_id");--> statement-breakpoint
CREATE INDEX "cards_member_idx" ON "cards" USING btree ("program_id","member_id");--> statement-breakpoint
CREATE INDEX "cards_id_idx" ON "cards" USING btree ("id");