DROP INDEX "case_studies_search";--> statement-breakpoint
DROP INDEX "case_studies_themes";--> statement-breakpoint
DROP INDEX "case_studies_phases";--> statement-breakpoint
CREATE INDEX "case_studies_search" ON "case_studies" USING gin ("search") WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "case_studies_themes" ON "case_studies" USING gin ("themes") WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "case_studies_phases" ON "case_studies" USING gin ("phases") WITH (fastupdate=false);--> statement-breakpoint
-- Hand-written (drizzle-kit cannot express column storage): keep the search vector in the row. With the default
-- (EXTENDED) a long study's vector, its largest value, was the first moved out to TOAST, and every match then cost a
-- TOAST fetch to rank. MAIN moves the text columns out first and the vector only when the row cannot fit a page.
ALTER TABLE "case_studies" ALTER COLUMN "search" SET STORAGE MAIN;
