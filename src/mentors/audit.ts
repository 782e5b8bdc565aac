// The audit trail of mentor actions: who, what, when, which object. Never message text.
import type { Queryable } from '../db/database.ts'
import type { Mentor } from './accounts.ts'

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
  | 'tenant.set'

export type AuditTarget = { type: 'handoff' | 'mentor' | 'tenant'; id: string }
/** Facts about the action (a status filter, a draft's mode); never text a user or mentor wrote. */
export type AuditDetails = Record<string, string | number | boolean>

export async function audit(
  q: Queryable,
  mentor: Mentor,
  action: AuditAction,
  target?: AuditTarget,
  details: AuditDetails = {},
): Promise<void> {
  await q.query(
    `insert into audit_log (tenant_slug, actor_type, actor_id, action, target_type, target_id, details)
     values ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
    [
      mentor.tenant,
      mentor.role,
      mentor.id,
      action,
      target?.type ?? null,
      target?.id ?? null,
      JSON.stringify(details),
    ],
  )
}
