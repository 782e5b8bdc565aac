// Mentor accounts: per tenant, role mentor or admin, reached by a bearer token stored only as a hash.
import { hashToken, newToken } from '../conversations/tokens.ts'
import type { Queryable } from '../db/database.ts'

export type MentorRole = 'mentor' | 'admin'

export type Mentor = { id: string; tenant: string; name: string; role: MentorRole }

/**
 * Creates a mentor (and the tenant, when it does not exist yet) and returns the token, which is
 * shown this once and stored only as its hash.
 */
export async function createMentor(
  q: Queryable,
  m: { name: string; tenant: string; role: MentorRole },
): Promise<{ mentor: Mentor; token: string; tenantCreated: boolean }> {
  const created = await q.query(
    `insert into tenants (slug, name) values ($1, $1) on conflict (slug) do nothing`,
    [m.tenant],
  )
  const { token, hash } = newToken()
  const { rows } = await q.query<Mentor>(
    `insert into mentors (tenant_slug, name, role, token_hash) values ($1, $2, $3, $4)
     returning id, tenant_slug as tenant, name, role`,
    [m.tenant, m.name, m.role, hash],
  )
  return { mentor: rows[0] as Mentor, token, tenantCreated: created.rowCount > 0 }
}

/** The active mentor a token belongs to. The hash is looked up, so no comparison leaks timing. */
export async function findMentorByToken(q: Queryable, token: string): Promise<Mentor | undefined> {
  const { rows } = await q.query<Mentor>(
    `select id, tenant_slug as tenant, name, role from mentors where token_hash = $1 and disabled_at is null`,
    [hashToken(token)],
  )
  return rows[0]
}
