CREATE TABLE "case_studies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"author_id" uuid,
	"status" text DEFAULT 'draft' NOT NULL,
	"visibility" text DEFAULT 'public' NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"context" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"context_notes" text DEFAULT '' NOT NULL,
	"challenge" text DEFAULT '' NOT NULL,
	"approach" text DEFAULT '' NOT NULL,
	"impact" text DEFAULT '' NOT NULL,
	"impact_measures" text[] DEFAULT '{}'::text[] NOT NULL,
	"applicability" text DEFAULT '' NOT NULL,
	"partners" text DEFAULT '' NOT NULL,
	"themes" text[] DEFAULT '{}'::text[] NOT NULL,
	"phases" text[] DEFAULT '{}'::text[] NOT NULL,
	"contact_preference" text DEFAULT 'introductions' NOT NULL,
	"urn" integer,
	"demonstration" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(summary, '')), 'B') || setweight(to_tsvector('english', coalesce(challenge, '') || ' ' || coalesce(approach, '') || ' ' || coalesce(impact, '') || ' ' || coalesce(applicability, '') || ' ' || coalesce(partners, '') || ' ' || coalesce(context_notes, '')), 'C')) STORED
);
--> statement-breakpoint
CREATE TABLE "case_study_authors" (
	"case_study_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "case_study_authors_case_study_id_user_id_pk" PRIMARY KEY("case_study_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "case_study_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_study_id" uuid NOT NULL,
	"event" text NOT NULL,
	"comment" text,
	"actor_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_study_versions" (
	"case_study_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"snapshot" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_study_versions_case_study_id_version_pk" PRIMARY KEY("case_study_id","version")
);
--> statement-breakpoint
CREATE TABLE "learn_more_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_study_id" uuid NOT NULL,
	"from_user_id" uuid NOT NULL,
	"from_organisation_id" uuid,
	"message" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reply" text,
	"replied_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "reading_list" (
	"user_id" uuid NOT NULL,
	"case_study_id" uuid NOT NULL,
	"saved_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reading_list_user_id_case_study_id_pk" PRIMARY KEY("user_id","case_study_id")
);
--> statement-breakpoint
ALTER TABLE "case_studies" ADD CONSTRAINT "case_studies_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_studies" ADD CONSTRAINT "case_studies_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_study_authors" ADD CONSTRAINT "case_study_authors_case_study_id_case_studies_id_fk" FOREIGN KEY ("case_study_id") REFERENCES "public"."case_studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_study_authors" ADD CONSTRAINT "case_study_authors_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_study_events" ADD CONSTRAINT "case_study_events_case_study_id_case_studies_id_fk" FOREIGN KEY ("case_study_id") REFERENCES "public"."case_studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_study_versions" ADD CONSTRAINT "case_study_versions_case_study_id_case_studies_id_fk" FOREIGN KEY ("case_study_id") REFERENCES "public"."case_studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learn_more_requests" ADD CONSTRAINT "learn_more_requests_case_study_id_case_studies_id_fk" FOREIGN KEY ("case_study_id") REFERENCES "public"."case_studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reading_list" ADD CONSTRAINT "reading_list_case_study_id_case_studies_id_fk" FOREIGN KEY ("case_study_id") REFERENCES "public"."case_studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_studies_search" ON "case_studies" USING gin ("search");--> statement-breakpoint
CREATE INDEX "case_studies_status" ON "case_studies" USING btree ("status","published_at");--> statement-breakpoint
CREATE INDEX "case_studies_organisation" ON "case_studies" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "case_studies_urn" ON "case_studies" USING btree ("urn");--> statement-breakpoint
CREATE INDEX "case_study_events_study" ON "case_study_events" USING btree ("case_study_id","at");--> statement-breakpoint
CREATE INDEX "learn_more_study" ON "learn_more_requests" USING btree ("case_study_id");