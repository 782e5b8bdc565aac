// The first start of a fresh installation: while no admin account exists, the server issues a one-time
// setup link (/mentor/setup#<token>). Its token is random, stored only as a hash, works once and
// expires; whoever opens the link creates the first admin (name, e-mail) and is shown the admin's
// token once. Once an admin exists, from the link or from `npm run mentor:add -- --admin`, no link works.
import { hashToken, newToken } from '../conversations/tokens.ts'
import type { Database, Queryable } from '../db/database.ts'
import { AppError } from '../errors.ts'
import { createMentor, type IssuedToken, type Mentor } from './accounts.ts'
import { audit } from './audit.ts'

/** The tenant the first admin belongs to: the one every installation has from its first migration. */
export const SETUP_TENANT = 'default'

/** Whether an admin account (not removed) exists in any tenant. */
async function adminExists(q: Queryable): Promise<boolean> {
  const { rows } = await q.query(`select 1 from mentors where role = 'admin' and removed_at is null limit 1`)
  return rows.length > 0
}

/**
 * A new setup token when no admin exists yet (undefined otherwise). Tokens issued before and not used
 * stop working: only the link of the latest start is valid.
 */
export async function issueSetupToken(
  database: Database,
  options: { validHours: number; now?: number },
): Promise<string | undefined> {
  const now = options.now ?? Date.now()
  return database.transaction(async (tx) => {
    await tx.query('delete from setup_tokens where used_at is null')
    if (await adminExists(tx)) return undefined
    const { token, hash } = newToken()
    await tx.query('insert into setup_tokens (token_hash, created_at, expires_at) values ($1, $2, $3)', [
      hash,
      new Date(now).toISOString(),
      new Date(now + options.validHours * 3_600_000).toISOString(),
    ])
    return token
  })
}

/** Why a setup link does not work, in words its holder can act on. */
const refused = () =>
  new AppError(
    'unauthorized',
    401,
    'This setup link is not valid: it was used already, it expired, or a newer start of the server issued another. ' +
      'Restart the server for a new link, or add an admin with `npm run mentor:add -- --admin`.',
  )

/**
 * Uses a setup token once: creates the first admin and returns the admin's token (shown this once).
 * Refused when the token is unknown, used or expired, or when an admin exists already.
 */
export async function completeSetup(
  database: Database,
  token: string,
  admin: { name: string; email: string },
  options: { tokenDays: number; now?: number },
): Promise<{ mentor: Mentor & { email: string } } & IssuedToken> {
  const now = new Date(options.now ?? Date.now()).toISOString()
  return database.transaction(async (tx) => {
    const { rows } = await tx.query<{ expired: boolean }>(
      `select expires_at <= $2 as expired from setup_tokens where token_hash = $1 and used_at is null for update`,
      [hashToken(token), now],
    )
    const found = rows[0]
    if (!found || found.expired) throw refused()
    if (await adminExists(tx))
      throw new AppError(
        'conflict',
        409,
        'An admin account exists already, so this setup link no longer works. Ask that admin for an account.',
      )
    await tx.query('update setup_tokens set used_at = $2 where token_hash = $1', [hashToken(token), now])
    const created = await createMentor(
      tx,
      { name: admin.name, tenant: SETUP_TENANT, role: 'admin' },
      { tokenDays: options.tokenDays },
    )
    await tx.query('update mentors set email = $2 where id = $1', [created.mentor.id, admin.email])
    // The setup link acts for nobody yet: the new admin is recorded as having created their own account.
    await audit(
      tx,
      created.mentor,
      'mentor.create',
      { type: 'mentor', id: created.mentor.id },
      { setup: true },
    )
    return {
      mentor: { ...created.mentor, email: admin.email },
      token: created.token,
      tokenExpiresAt: created.tokenExpiresAt,
    }
  })
}

/** Where the setup page is reached: the public address when set, else the address the server listens on. */
export function setupUrl(
  base: { publicUrl?: string | undefined; host: string; port: number },
  token: string,
) {
  // A server listening on every interface is reached from this machine at loopback.
  const listening = ['0.0.0.0', '::', '[::]'].includes(base.host) ? '127.0.0.1' : base.host
  const host = listening.includes(':') && !listening.startsWith('[') ? `[${listening}]` : listening
  const origin = base.publicUrl?.replace(/\/+$/, '') ?? `http://${host}:${base.port}`
  // The token is the fragment: a browser never sends it, so no access log or proxy ever sees it.
  return `${origin}/mentor/setup#${token}`
}

/**
 * At start: while no admin exists, a new setup token and the link to it for the port the server got;
 * undefined once an admin exists.
 */
export async function firstStartLink(
  database: Database,
  config: { PUBLIC_URL?: string | undefined; HOST: string; SETUP_LINK_HOURS: number },
): Promise<((port: number) => string) | undefined> {
  const token = await issueSetupToken(database, { validHours: config.SETUP_LINK_HOURS })
  if (!token) return undefined
  return (port) => setupUrl({ publicUrl: config.PUBLIC_URL, host: config.HOST, port }, token)
}
