-- Iterative index scans as the database's default for every new session, not only for the sessions
-- the app sets it on: behind a pooler in transaction mode (PgBouncer, Cloudflare Hyperdrive) the
-- app's per-connection SET reaches one server connection, and searches run on others.
-- Needs the database's owner (or a superuser); without that right, or with a pgvector older than 0.8,
-- the migration goes on and says so, and an administrator runs the statement (README: "Running
-- against a real Postgres with pgvector").
do $$
begin
  -- Loads pgvector in this session, so that its setting is known and checked (a setting the server
  -- does not know yet could be stored by a superuser only).
  perform '[1]'::vector;
  execute format('alter database %I set hnsw.iterative_scan = relaxed_order', current_database());
exception
  when insufficient_privilege or undefined_object then
    raise notice 'hnsw.iterative_scan is not the database''s default (%); run as its owner: alter database % set hnsw.iterative_scan = relaxed_order',
      sqlerrm, quote_ident(current_database());
end $$;
