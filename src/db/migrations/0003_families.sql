CREATE TABLE "families" (
	"model" text NOT NULL,
	"urn" integer NOT NULL,
	"rank" smallint NOT NULL,
	"member_urn" integer NOT NULL,
	"distance" double precision NOT NULL,
	"contributions" double precision[] NOT NULL,
	CONSTRAINT "families_model_urn_rank_pk" PRIMARY KEY("model","urn","rank")
);
--> statement-breakpoint
CREATE TABLE "family_builds" (
	"model" text PRIMARY KEY NOT NULL,
	"built_at" timestamp with time zone DEFAULT now() NOT NULL,
	"population" integer NOT NULL,
	"excluded" integer NOT NULL,
	"scales" text NOT NULL,
	"milliseconds" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "families_member" ON "families" USING btree ("model","member_urn");