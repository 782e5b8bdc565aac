-- What a turn needs beyond the initial schema: knowledge gaps, and the router's confidence per message.
create table knowledge_gaps (
  id uuid primary key default gen_random_uuid(),
  tenant_slug text not null references tenants (slug),
  conversation_id uuid references conversations (id) on delete set null,
  question text not null,
  lang text not null check (lang in ('de', 'en')),
  best_score real,
  created_at timestamptz not null default now()
);
create index knowledge_gaps_tenant on knowledge_gaps (tenant_slug, created_at);

alter table messages add column lang text check (lang in ('de', 'en'));
alter table messages add column flags text[] not null default '{}';
-- Messages of one transaction share now(); the sequence keeps their order.
alter table messages add column seq bigint generated always as identity;
create index messages_conversation_seq on messages (conversation_id, seq);
