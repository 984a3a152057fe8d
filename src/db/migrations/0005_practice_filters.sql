CREATE INDEX "case_studies_themes" ON "case_studies" USING gin ("themes");--> statement-breakpoint
CREATE INDEX "case_studies_phases" ON "case_studies" USING gin ("phases");