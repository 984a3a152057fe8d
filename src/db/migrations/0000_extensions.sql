-- pg_trgm gives typo-tolerant name search (similarity, %, GIN trigram indexes).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
