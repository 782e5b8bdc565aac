-- Human mentors at work: notifications through an outbox, replies suggested for the corpus, and how
-- a tenant wants to be notified.

-- Notifications wait here until a webhook has taken them: a webhook that is down loses nothing.
create table outbox (
  id uuid primary key default gen_random_uuid(),
  tenant_slug text not null references tenants (slug),
  topic text not null,
  payload jsonb not null,
  target_url text not null,
  format text not null check (format in ('json', 'teams')),
  attempts int not null default 0,
  next_attempt_at timestamptz not null default now(),
  -- An HTTP status or an error class; never a response body.
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz not null default now()
);
create index outbox_due on outbox (next_attempt_at) where delivered_at is null;

alter table tenants add column webhook_format text not null default 'json'
  check (webhook_format in ('json', 'teams'));

-- Mentor replies a mentor proposed for the corpus, for curators to review.
create table corpus_suggestions (
  id uuid primary key default gen_random_uuid(),
  tenant_slug text not null references tenants (slug),
  handoff_id uuid references handoffs (id) on delete set null,
  mentor_id uuid references mentors (id),
  question text not null,
  reply text not null,
  citations jsonb not null default '[]',
  status text not null default 'open' check (status in ('open', 'accepted', 'rejected')),
  created_at timestamptz not null default now()
);
create index corpus_suggestions_tenant on corpus_suggestions (tenant_slug, status, created_at);

create index audit_log_target on audit_log (target_type, target_id);
