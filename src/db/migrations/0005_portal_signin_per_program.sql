ALTER TABLE "portal_codes" ALTER COLUMN "program_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "portal_codes" ALTER COLUMN "member_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "code" text;--> statement-breakpoint
-- Every existing program gets a public code from its name (the portal address /portal/<code>/):
-- lower-case letters and digits joined by dashes, never a portal screen's name, made unique with
-- the end of the program's id when two names give the same code.
WITH base AS (
  SELECT id, created_at, coalesce(nullif(trim(both '-' from left(regexp_replace(lower(name), '[^a-z0-9]+', '-', 'g'), 32)), ''), 'program') AS b
  FROM programs
), safe AS (
  SELECT id, created_at, CASE WHEN b IN ('history', 'rewards', 'company', 'assets', 'api', 'auth', 'me', 'sw', 'manifest') THEN b || '-program' ELSE b END AS b
  FROM base
), numbered AS (
  SELECT id, b, row_number() OVER (PARTITION BY b ORDER BY created_at, id) AS n FROM safe
)
UPDATE programs p SET code = CASE WHEN numbered.n = 1 THEN numbered.b ELSE numbered.b || '-' || lower(right(p.id, 6)) END
FROM numbered WHERE numbered.id = p.id;--> statement-breakpoint
ALTER TABLE "programs" ALTER COLUMN "code" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "phone_country" text;--> statement-breakpoint
-- Phone numbers written with their country code (+… or 00…) become E.164; "(0)" trunk digits go.
-- Numbers without one cannot be read without a country and keep their text until saved again.
UPDATE members SET phone = '+' || regexp_replace(regexp_replace(replace(phone, '(0)', ''), '^\s*(\+|00)', ''), '[^0-9]', '', 'g')
WHERE phone ~ '^\s*(\+|00)'
  AND regexp_replace(regexp_replace(replace(phone, '(0)', ''), '^\s*(\+|00)', ''), '[^0-9]', '', 'g') ~ '^[1-9][0-9]{6,14}$';--> statement-breakpoint
CREATE INDEX "members_email_idx" ON "members" USING btree (lower("email"),"program_id");--> statement-breakpoint
CREATE INDEX "members_phone_idx" ON "members" USING btree ("phone","program_id");--> statement-breakpoint
CREATE UNIQUE INDEX "programs_code_uq" ON "programs" USING btree ("code");
