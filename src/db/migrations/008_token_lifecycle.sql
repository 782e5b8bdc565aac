-- Mentor and admin tokens that can die: each token has an expiry (renewed or rotated with a new token),
-- and an account can be removed (its token hash is overwritten; the row stays, because replies, claims
-- and suggestions name it).
alter table mentors add column token_issued_at timestamptz;
alter table mentors add column token_expires_at timestamptz;
alter table mentors add column removed_at timestamptz;
-- Tokens issued before expiry existed get the default lifetime (MENTOR_TOKEN_DAYS = 90) from now, so
-- that the upgrade locks nobody out at once.
update mentors set token_issued_at = created_at, token_expires_at = now() + interval '90 days';
alter table mentors alter column token_issued_at set not null;
alter table mentors alter column token_expires_at set not null;
