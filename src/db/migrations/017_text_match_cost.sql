-- The planner costs a full-text match (`tsvector @@ tsquery`) like an addition (cost 1), so for a few
-- hundred passages or a few thousand questions it scans every row rather than read the GIN index,
-- although each match reads and decompresses a stored tsvector: in the embedded database the scans of
-- the two full-text lists took 15 of a search's 36 ms of execution (EXPLAIN ANALYZE), the index reads 6.
-- Cost 100 (a passage's tsvector read and matched, against the operator cost of an addition) lets the
-- planner read the index for a search in one language; the matches, and so the results, are the same.
-- Changing a function needs its owner; where the database user is not (a managed Postgres), the planner
-- keeps its default and searches return the same results, only slower.
do $$
begin
  alter function ts_match_vq(tsvector, tsquery) cost 100;
exception when insufficient_privilege then
  raise notice 'ts_match_vq cost left unchanged: %', sqlerrm;
end
$$;
