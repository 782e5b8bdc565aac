// The audit trail of mentor, admin and operator actions: who, what, when, which object. Never message
// text, never a token.
import type { Queryable } from '../db/database.ts'
import type { MentorRole } from './accounts.ts'

export type AuditAction =
  | 'handoff.list'
  | 'handoff.view'
  | 'handoff.claim'
  | 'handoff.draft'
  | 'handoff.reply'
  | 'handoff.close'
  | 'draft.create'
  | 'insights.view'
  | 'suggestions.view'
  | 'mentor.create'
  | 'mentor.list'
  | 'mentor.disable'
  | 'mentor.rotate'
  | 'mentor.remove'
  | 'token.renew'
  | 'tenant.set'

/** Who acted: a mentor or admin (a signed-in Mentor fits), or the operator at the command line. */
export type Actor = { id: string; tenant: string; role: MentorRole | 'system' }

/** The operator, acting on a tenant's accounts through `npm run mentor:…`. */
export const operator = (tenant: string): Actor => ({ id: 'cli', tenant, role: 'system' })

export type AuditTarget = { type: 'handoff' | 'mentor' | 'tenant'; id: string }
/** Facts about the action (a status filter, a draft's mode); never text a user or mentor wrote. */
export type AuditDetails = Record<string, string | number | boolean>

export async function audit(
  q: Queryable,
  actor: Actor,
  action: AuditAction,
  target?: AuditTarget,
  details: AuditDetails = {},
): Promise<void> {
  await q.query(
    `insert into audit_log (tenant_slug, actor_type, actor_id, action, target_type, target_id, details)
     values ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
    [
      actor.tenant,
      actor.role,
      actor.id,
      action,
      target?.type ?? null,
      target?.id ?? null,
      JSON.stringify(details),
    ],
  )
}
