-- Hand-written: the two functions of practice search's walk by quarter of publication (case-study.repository.ts).
-- A quarter is counted as year × 4 + quarter − 1, in UTC.
--
-- case_study_search_keys: a published study's keys, each prefixed with its quarter ('q8107:'): the quarter alone,
-- every word of its search vector (without positions), 't:' and each theme, 'p:' and each phase, 'v:' and its
-- visibility. Indexed by GIN, a quarter's entries hold only that quarter's studies, so reading one quarter's matches
-- costs that quarter's share of the index, not the whole posting list of every common word.
CREATE FUNCTION case_study_search_keys(search tsvector, published_at timestamptz, themes text[], phases text[], visibility text)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  select array_to_tsvector(array(
    select 'q' || quarter || ':' || key
    from (select coalesce((extract(year from published_at at time zone 'UTC') * 4 + extract(quarter from published_at at time zone 'UTC') - 1)::integer, 0)) as q(quarter),
         unnest(tsvector_to_array(search)
                || array(select 't:' || t from unnest(themes) t)
                || array(select 'p:' || p from unnest(phases) p)
                || array['v:' || visibility, '']) as k(key)))
$$;--> statement-breakpoint
-- case_study_search_query: the keys query for one quarter: the quarter, and the search's indexable part (querytree:
-- negated words dropped, phrases loosened to "and"), and the filters (a tsquery over 't:', 'p:' and 'v:' keys), every
-- word prefixed with the quarter. It finds a superset of the search's matches in that quarter; the caller applies the
-- search itself to each row found.
CREATE FUNCTION case_study_search_query(query tsquery, filters text, quarter integer)
RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  select ('''q' || quarter || ':'''
    || case when querytree(query) in ('', 'T') then '' else ' & (' || regexp_replace(regexp_replace(querytree(query), '<[0-9]+>|<->', '&', 'g'), '''((?:[^'']|'''')*)''', '''q' || quarter || ':\1''', 'g') || ')' end
    || case when filters = '' then '' else ' & (' || regexp_replace(filters, '''((?:[^'']|'''')*)''', '''q' || quarter || ':\1''', 'g') || ')' end)::tsquery
$$;--> statement-breakpoint
CREATE INDEX "case_studies_search_by_quarter" ON "case_studies" USING gin (case_study_search_keys("search", "published_at", "themes", "phases", "visibility")) WITH (fastupdate=false) WHERE "case_studies"."status" = 'published';--> statement-breakpoint
-- Hand-written: a published study has always had a date (setStatus); make sure before the constraint holds it.
UPDATE "case_studies" SET "published_at" = "updated_at" WHERE "status" = 'published' AND "published_at" IS NULL;--> statement-breakpoint
ALTER TABLE "case_studies" ADD CONSTRAINT "case_studies_published_dated" CHECK ("case_studies"."status" <> 'published' or "case_studies"."published_at" is not null);