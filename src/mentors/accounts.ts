// Mentor accounts: per tenant, role mentor or admin, reached by a bearer token stored only as a hash.
// A token expires (MENTOR_TOKEN_DAYS after it was issued) unless its holder renews it first; an admin
// (or the operator, from the command line) lists the accounts, disables one, rotates its token or
// removes it. Tokens are shown once, when issued, and never stored, logged or listed.
import { DEFAULT_MENTOR_TOKEN_DAYS } from '../config.ts'
import { hashToken, newToken } from '../conversations/tokens.ts'
import type { Queryable } from '../db/database.ts'
import { AppError, notFound } from '../errors.ts'

export type MentorRole = 'mentor' | 'admin'

export type Mentor = { id: string; tenant: string; name: string; role: MentorRole }

/** The mentor a valid token belongs to, with the day the token stops working. */
export type SignedInMentor = Mentor & { tokenExpiresAt: string }

export type AccountStatus = 'active' | 'disabled' | 'expired'

/** What an admin sees of an account: never the token nor its hash. */
export type MentorAccount = Mentor & {
  status: AccountStatus
  createdAt: string
  tokenIssuedAt: string
  tokenExpiresAt: string
  disabledAt: string | null
}

/** A token as issued: shown to its holder this once. */
export type IssuedToken = { token: string; tokenExpiresAt: string }

const iso = (value: string | Date) => new Date(value).toISOString()

const ACCOUNT_COLUMNS = `id, tenant_slug as tenant, name, role,
  case when disabled_at is not null then 'disabled' when token_expires_at <= now() then 'expired'
       else 'active' end as status,
  created_at as "createdAt", token_issued_at as "tokenIssuedAt", token_expires_at as "tokenExpiresAt",
  disabled_at as "disabledAt"`

const account = (row: MentorAccount): MentorAccount => ({
  ...row,
  createdAt: iso(row.createdAt),
  tokenIssuedAt: iso(row.tokenIssuedAt),
  tokenExpiresAt: iso(row.tokenExpiresAt),
  disabledAt: row.disabledAt === null ? null : iso(row.disabledAt),
})

/**
 * Creates a mentor (and the tenant, when it does not exist yet) and returns the token, which is
 * shown this once and stored only as its hash.
 */
export async function createMentor(
  q: Queryable,
  m: { name: string; tenant: string; role: MentorRole },
  options: { tokenDays?: number } = {},
): Promise<{ mentor: Mentor; token: string; tokenExpiresAt: string; tenantCreated: boolean }> {
  const created = await q.query(
    `insert into tenants (slug, name) values ($1, $1) on conflict (slug) do nothing`,
    [m.tenant],
  )
  const { token, hash } = newToken()
  const { rows } = await q.query<Mentor & { tokenExpiresAt: string }>(
    `insert into mentors (tenant_slug, name, role, token_hash, token_issued_at, token_expires_at)
     values ($1, $2, $3, $4, now(), now() + make_interval(days => $5))
     returning id, tenant_slug as tenant, name, role, token_expires_at as "tokenExpiresAt"`,
    [m.tenant, m.name, m.role, hash, options.tokenDays ?? DEFAULT_MENTOR_TOKEN_DAYS],
  )
  const { tokenExpiresAt, ...mentor } = rows[0] as Mentor & { tokenExpiresAt: string }
  return { mentor, token, tokenExpiresAt: iso(tokenExpiresAt), tenantCreated: created.rowCount > 0 }
}

/** The mentor a valid token belongs to. The hash is looked up, so no comparison leaks timing. */
export async function findMentorByToken(q: Queryable, token: string): Promise<SignedInMentor | undefined> {
  const { rows } = await q.query<SignedInMentor>(
    `select id, tenant_slug as tenant, name, role, token_expires_at as "tokenExpiresAt" from mentors
     where token_hash = $1 and disabled_at is null and removed_at is null and token_expires_at > now()`,
    [hashToken(token)],
  )
  const found = rows[0]
  return found && { ...found, tokenExpiresAt: iso(found.tokenExpiresAt) }
}

/** Whether the token was valid once and has run out (its holder is told so, to ask for a new one). */
export async function tokenExpired(q: Queryable, token: string): Promise<boolean> {
  const { rows } = await q.query(
    `select 1 from mentors where token_hash = $1 and disabled_at is null and removed_at is null
       and token_expires_at <= now()`,
    [hashToken(token)],
  )
  return rows.length > 0
}

/** The tenant's accounts (removed ones are gone), optionally of one status. */
export async function listMentors(
  q: Queryable,
  tenant: string,
  status?: AccountStatus,
): Promise<MentorAccount[]> {
  const { rows } = await q.query<MentorAccount>(
    `select * from (select ${ACCOUNT_COLUMNS} from mentors where tenant_slug = $1 and removed_at is null) a
     where $2::text is null or status = $2 order by role, name, "createdAt"`,
    [tenant, status ?? null],
  )
  return rows.map(account)
}

/** The tenant an account belongs to (for the command line, which acts on any tenant). */
export async function accountTenant(q: Queryable, id: string): Promise<string> {
  const { rows } = await q.query<{ tenant: string }>(
    'select tenant_slug as tenant from mentors where id = $1 and removed_at is null',
    [id],
  )
  if (!rows[0]) throw notFound('The mentor account')
  return rows[0].tenant
}

/** Locks an account of the tenant for a change; a removed one, or another tenant's, is not found. */
async function lockAccount(q: Queryable, tenant: string, id: string): Promise<MentorAccount> {
  const { rows } = await q.query<MentorAccount>(
    `select ${ACCOUNT_COLUMNS} from mentors where id = $1 and tenant_slug = $2 and removed_at is null for update`,
    [id, tenant],
  )
  if (!rows[0]) throw notFound('The mentor account')
  return account(rows[0])
}

/** Tickets the account had claimed go back to the queue: nobody else could answer them otherwise. */
async function releaseClaims(q: Queryable, id: string): Promise<number> {
  const { rowCount } = await q.query(
    `update handoffs set status = 'open', claimed_by = null, claimed_at = null, updated_at = now()
     where claimed_by = $1 and status = 'claimed'`,
    [id],
  )
  return rowCount
}

/** Disables an account: its token stops working at once, and its claimed tickets are open again. */
export async function disableMentor(
  q: Queryable,
  tenant: string,
  id: string,
): Promise<{ account: MentorAccount; released: number }> {
  const current = await lockAccount(q, tenant, id)
  if (current.status === 'disabled')
    throw new AppError(
      'conflict',
      409,
      'This account is already disabled; rotating its token enables it again.',
    )
  await q.query('update mentors set disabled_at = now() where id = $1', [id])
  const released = await releaseClaims(q, id)
  return { account: await lockAccount(q, tenant, id), released }
}

/**
 * Gives an account a new token with a fresh expiry; the old token stops working at once. A disabled
 * account is enabled again (the new token is not the one that was disabled).
 */
export async function rotateToken(
  q: Queryable,
  tenant: string,
  id: string,
  tokenDays: number,
): Promise<{ account: MentorAccount } & IssuedToken> {
  await lockAccount(q, tenant, id)
  const { token, hash } = newToken()
  await q.query(
    `update mentors set token_hash = $2, token_issued_at = now(),
       token_expires_at = now() + make_interval(days => $3), disabled_at = null
     where id = $1`,
    [id, hash, tokenDays],
  )
  const updated = await lockAccount(q, tenant, id)
  return { account: updated, token, tokenExpiresAt: updated.tokenExpiresAt }
}

/**
 * Removes an account: its token hash is overwritten (no token can match it again), its e-mail address
 * is dropped, and it is no longer listed. The row stays, because replies, claims and corpus suggestions name the mentor.
 */
export async function removeMentor(q: Queryable, tenant: string, id: string): Promise<{ released: number }> {
  await lockAccount(q, tenant, id)
  // Not a SHA-256 hex digest, so no token hashes to it; unique, as the column requires.
  await q.query(
    `update mentors set removed_at = now(), disabled_at = coalesce(disabled_at, now()),
       token_hash = 'removed:' || id::text, email = null
     where id = $1`,
    [id],
  )
  return { released: await releaseClaims(q, id) }
}
