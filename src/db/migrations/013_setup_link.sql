-- The one-time setup link of a fresh installation: its token is stored only as a hash, works once and
-- expires; it is valid only while no admin account exists. The first admin's e-mail address is kept
-- with the account (the command line may leave it empty).
create table setup_tokens (
  token_hash text primary key,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);

alter table mentors add column email text;
