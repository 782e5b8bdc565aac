-- The initial schema: tenants and mentors, the knowledge base, conversations and what they produce.
create extension if not exists vector;

-- Associations (and the default tenant for anonymous widget and API use).
create table tenants (
  -- Lower-case and URL-safe; letters beyond ASCII are allowed ("südwest").
  slug text primary key check (slug = lower(slug) and slug ~ '^[^\s/?#%]{1,63}$'),
  name text not null,
  allowed_origins text[] not null default '{}',
  privacy_url text,
  webhook_url text,
  theme jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
insert into tenants (slug, name) values ('default', 'Digital-Mentor');

-- Human mentors; the bearer token is stored only as a hash.
create table mentors (
  id uuid primary key default gen_random_uuid(),
  tenant_slug text not null references tenants (slug),
  name text not null,
  role text not null check (role in ('mentor', 'admin')),
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  disabled_at timestamptz
);
create index mentors_tenant on mentors (tenant_slug);

-- Curated corpus documents, one row per Markdown file.
create table documents (
  id text primary key,
  title text not null,
  lang text not null check (lang in ('de', 'en')),
  translation_of text,
  audience text[] not null,
  field text not null,
  phase text not null,
  sources jsonb not null default '[]',
  reviewed date not null,
  url text,
  path text not null,
  content_hash text not null,
  updated_at timestamptz not null default now()
);

-- Retrieval units. Vectors of any dimension; each row says which embedder made it, and the HNSW
-- index is built per dimension (a partial expression index) when an embedder is first used.
create table chunks (
  id text primary key,
  document_id text not null references documents (id) on delete cascade,
  position int not null,
  heading text not null,
  text text not null,
  lang text not null check (lang in ('de', 'en')),
  embedder text not null,
  embedding_dim int not null,
  embedding vector not null,
  tsv tsvector generated always as (
    to_tsvector(
      case lang when 'de' then 'german'::regconfig else 'english'::regconfig end,
      heading || ' ' || text
    )
  ) stored
);
create index chunks_document on chunks (document_id, position);
-- fastupdate off: without autovacuum (the embedded database has none) the pending list of a GIN
-- index only grows, and every search would scan it.
create index chunks_tsv on chunks using gin (tsv) with (fastupdate = off);

-- Small key-value settings of the store (the active embedder, the corpus fingerprint).
create table store_settings (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now()
);

-- A conversation is reached only with its capability token (stored as a hash).
create table conversations (
  id uuid primary key default gen_random_uuid(),
  tenant_slug text not null references tenants (slug),
  channel text not null check (channel in ('api', 'widget', 'teams')),
  locale text not null default 'de' check (locale in ('de', 'en')),
  role text check (role in ('management', 'employees', 'works_council', 'consultants')),
  token_hash text not null,
  channel_ref jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  erased_at timestamptz
);
create index conversations_tenant on conversations (tenant_slug, created_at);

create table messages (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null references conversations (id) on delete cascade,
  author text not null check (author in ('user', 'assistant', 'mentor', 'system')),
  text text not null,
  status text not null default 'complete' check (status in ('complete', 'partial', 'interrupted')),
  mode text check (mode in ('generated', 'extractive', 'handoff', 'refusal', 'human')),
  route text,
  route_stage text,
  route_reason text,
  route_rules text[],
  citations jsonb not null default '[]',
  mentor_id uuid references mentors (id),
  created_at timestamptz not null default now()
);
create index messages_conversation on messages (conversation_id, created_at);

create table handoffs (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null references conversations (id) on delete cascade,
  tenant_slug text not null references tenants (slug),
  message_id uuid references messages (id) on delete set null,
  reason_class text not null,
  router_reason text not null,
  transcript jsonb not null default '[]',
  channel text not null,
  channel_ref jsonb,
  contact_email text,
  contact_consent_at timestamptz,
  status text not null default 'open' check (status in ('open', 'claimed', 'answered', 'closed', 'withdrawn')),
  claimed_by uuid references mentors (id),
  created_at timestamptz not null default now(),
  claimed_at timestamptz,
  answered_at timestamptz,
  closed_at timestamptz,
  updated_at timestamptz not null default now()
);
create index handoffs_queue on handoffs (tenant_slug, status, created_at);

create table feedback (
  id uuid primary key default gen_random_uuid(),
  message_id uuid not null references messages (id) on delete cascade,
  rating text not null check (rating in ('up', 'down')),
  comment text,
  created_at timestamptz not null default now()
);
create index feedback_message on feedback (message_id);

-- Who did what, when, to which object: mentor and admin actions, never message text.
create table audit_log (
  id bigint generated always as identity primary key,
  tenant_slug text,
  actor_type text not null check (actor_type in ('mentor', 'admin', 'system', 'user')),
  actor_id text,
  action text not null,
  target_type text,
  target_id text,
  details jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index audit_log_tenant on audit_log (tenant_slug, created_at);
