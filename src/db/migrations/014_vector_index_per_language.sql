-- Vector search reads one HNSW graph per language (ensureVectorIndex in src/retrieval/chunk-store.ts
-- makes them at ingest, and the search repeats their predicate): a language filter applied after a
-- scan of the shared graph left candidate lists short in large stores. Each single index per dimension
-- gives way to one per dimension and language, built here for the dimensions already indexed.
do $$
declare
  old record;
  dim int;
begin
  for old in select indexname from pg_indexes
             where schemaname = current_schema() and tablename = 'chunks'
               and indexname ~ '^chunks_embedding_hnsw_[0-9]+$' loop
    dim := substring(old.indexname from '[0-9]+$')::int;
    execute format(
      'create index if not exists chunks_embedding_hnsw_%s_de on chunks using hnsw ((embedding::vector(%s)) vector_cosine_ops) where embedding_dim = %s and lang = %L',
      dim, dim, dim, 'de');
    execute format(
      'create index if not exists chunks_embedding_hnsw_%s_en on chunks using hnsw ((embedding::vector(%s)) vector_cosine_ops) where embedding_dim = %s and lang = %L',
      dim, dim, dim, 'en');
    execute format('drop index %I', old.indexname);
  end loop;
end $$;
