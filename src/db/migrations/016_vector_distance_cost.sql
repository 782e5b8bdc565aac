-- The planner costs pgvector's cosine distance like an addition (cost 1), so for a few thousand rows it
-- prefers computing the distance to every row over walking an HNSW index: in the embedded database the
-- exact scan over the sections' questions took ~25 of a ~47 ms search, the walk of their index ~6 ms.
-- At cost 300 (a 512-dimension distance over a vector stored out of line) the planner walks the index
-- for the questions of either language on the shipped corpus. Changing a function needs its owner;
-- where the database user is not (a managed Postgres), the planner keeps its default and searches
-- return the same results, only slower.
do $$
begin
  alter function cosine_distance(vector, vector) cost 300;
exception when insufficient_privilege then
  raise notice 'cosine_distance cost left unchanged: %', sqlerrm;
end
$$;
