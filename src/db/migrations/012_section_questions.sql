-- The questions a section says it answers (its `questions` block in the corpus), each with its own
-- vector and full text: a retrieval signal beside the passage's own text and vector. Rows belong to
-- the section's first chunk and go with it when a document is re-ingested.
create table chunk_questions (
  chunk_id text not null references chunks (id) on delete cascade,
  position int not null,
  question text not null,
  lang text not null check (lang in ('de', 'en')),
  embedder text not null,
  embedding_dim int not null,
  embedding vector not null,
  tsv tsvector generated always as (
    to_tsvector(case lang when 'de' then 'german'::regconfig else 'english'::regconfig end, question)
  ) stored,
  primary key (chunk_id, position)
);
create index chunk_questions_tsv on chunk_questions using gin (tsv) with (fastupdate = off);

-- Documents that describe this service itself: retrieval demotes them unless the question is about
-- the service.
alter table documents add column about_this_service boolean not null default false;
