CREATE TABLE "establishment_links" (
	"urn" integer NOT NULL,
	"linked_urn" integer NOT NULL,
	"link_name" text,
	"link_type" text NOT NULL,
	"established_date" date,
	CONSTRAINT "establishment_links_urn_linked_urn_link_type_pk" PRIMARY KEY("urn","linked_urn","link_type")
);
--> statement-breakpoint
CREATE TABLE "establishments" (
	"urn" integer PRIMARY KEY NOT NULL,
	"laestab" integer,
	"la_code" text,
	"la_name" text,
	"establishment_number" text,
	"name" text NOT NULL,
	"type_code" text,
	"type_name" text,
	"type_group_code" text,
	"type_group_name" text,
	"status_code" text,
	"status_name" text,
	"open_date" date,
	"close_date" date,
	"phase_code" text,
	"phase_name" text,
	"statutory_low_age" smallint,
	"statutory_high_age" smallint,
	"boarders_name" text,
	"nursery_name" text,
	"sixth_form_name" text,
	"gender_name" text,
	"religious_character_name" text,
	"admissions_policy_name" text,
	"capacity" integer,
	"pupils" integer,
	"boys" integer,
	"girls" integer,
	"percentage_fsm" double precision,
	"census_date" date,
	"trust_uid" text,
	"trust_name" text,
	"federation_uid" text,
	"federation_name" text,
	"ukprn" text,
	"street" text,
	"locality" text,
	"address3" text,
	"town" text,
	"county" text,
	"postcode" text,
	"website" text,
	"telephone" text,
	"region_code" text,
	"region_name" text,
	"district_code" text,
	"district_name" text,
	"gss_la_code" text,
	"urban_rural_code" text,
	"urban_rural_name" text,
	"easting" integer,
	"northing" integer,
	"latitude" double precision,
	"longitude" double precision,
	"last_changed_date" date,
	"postcode_key" text GENERATED ALWAYS AS (upper(replace(postcode, ' ', ''))) STORED,
	"name_key" text GENERATED ALWAYS AS (lower(name)) STORED,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "groups" (
	"uid" text PRIMARY KEY NOT NULL,
	"group_id" text,
	"name" text NOT NULL,
	"type_code" text,
	"type_name" text,
	"status_code" text,
	"status_name" text,
	"companies_house_number" text,
	"open_date" date,
	"closed_date" date,
	"ukprn" text,
	"town" text,
	"postcode" text
);
--> statement-breakpoint
CREATE TABLE "import_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"rows" integer,
	"status" text NOT NULL,
	"message" text
);
--> statement-breakpoint
CREATE TABLE "local_authorities" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"gss_code" text,
	"region_code" text,
	"region_name" text
);
--> statement-breakpoint
CREATE TABLE "measure_values" (
	"entity_type" text NOT NULL,
	"entity_code" text NOT NULL,
	"measure" text NOT NULL,
	"breakdown" text DEFAULT 'all' NOT NULL,
	"year" smallint NOT NULL,
	"value" double precision,
	"status" text,
	CONSTRAINT "measure_values_entity_type_entity_code_measure_breakdown_year_pk" PRIMARY KEY("entity_type","entity_code","measure","breakdown","year")
);
--> statement-breakpoint
CREATE TABLE "measures" (
	"code" text PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"short_label" text NOT NULL,
	"unit" text NOT NULL,
	"direction" text NOT NULL,
	"decimals" smallint NOT NULL,
	"source" text NOT NULL,
	"description" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "published_neighbours" (
	"dataset" text NOT NULL,
	"urn" integer NOT NULL,
	"neighbour_urn" integer NOT NULL,
	"rank" smallint NOT NULL,
	"distance" double precision NOT NULL,
	CONSTRAINT "published_neighbours_dataset_urn_neighbour_urn_pk" PRIMARY KEY("dataset","urn","neighbour_urn")
);
--> statement-breakpoint
CREATE TABLE "similarity_inputs" (
	"dataset" text NOT NULL,
	"urn" integer NOT NULL,
	"input" text NOT NULL,
	"value" double precision,
	CONSTRAINT "similarity_inputs_dataset_urn_input_pk" PRIMARY KEY("dataset","urn","input")
);
--> statement-breakpoint
ALTER TABLE "measure_values" ADD CONSTRAINT "measure_values_measure_measures_code_fk" FOREIGN KEY ("measure") REFERENCES "public"."measures"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "establishment_links_linked" ON "establishment_links" USING btree ("linked_urn");--> statement-breakpoint
CREATE INDEX "establishments_name_trgm" ON "establishments" USING gin ("name_key" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "establishments_town_trgm" ON "establishments" USING gin (lower("town") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "establishments_postcode_key" ON "establishments" USING btree ("postcode_key");--> statement-breakpoint
CREATE INDEX "establishments_laestab" ON "establishments" USING btree ("laestab");--> statement-breakpoint
CREATE INDEX "establishments_la_code" ON "establishments" USING btree ("la_code");--> statement-breakpoint
CREATE INDEX "establishments_trust_uid" ON "establishments" USING btree ("trust_uid");--> statement-breakpoint
CREATE INDEX "establishments_region_code" ON "establishments" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "measure_values_measure_year" ON "measure_values" USING btree ("measure","year","entity_type");