-- A counter that every statement writing documents, passages or section questions moves on (statement
-- triggers, so an ingest of thousands of rows costs a few updates). The embedded database keeps the
-- vectors and the passages in memory (src/retrieval/vector-memory.ts); each search reads the counter in
-- its own statement and reads them again when it moved, whoever wrote the rows.
create table retrieval_generation (
  only_row boolean primary key default true check (only_row),
  value bigint not null
);
insert into retrieval_generation (value) values (0);

create function bump_retrieval_generation() returns trigger language plpgsql as $$
begin
  update retrieval_generation set value = value + 1;
  return null;
end
$$;

create trigger chunks_generation after insert or update or delete or truncate on chunks
  for each statement execute function bump_retrieval_generation();
create trigger chunk_questions_generation after insert or update or delete or truncate on chunk_questions
  for each statement execute function bump_retrieval_generation();
create trigger documents_generation after insert or update or delete or truncate on documents
  for each statement execute function bump_retrieval_generation();
