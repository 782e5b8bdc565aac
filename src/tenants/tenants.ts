// Tenants (associations) as data: name, the web origins allowed to embed the widget, the privacy
// notice, the webhook for handoff announcements and the widget's theme. One schema serves the
// `tenant:set` command and the admin API.
import { z } from 'zod'
import type { Queryable } from '../db/database.ts'
import { webhookUrlProblem } from '../notifications/webhook-url.ts'

export const TenantSlug = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[^\s\p{Cc}/?#%]{1,63}$/u, 'must be a short name without spaces, / ? # or %')

/** A web origin: scheme, host and port only ("https://www.verband.de"). */
const Origin = z
  .url({ protocol: /^https?$/, error: 'must be an origin like https://www.example.org' })
  .transform((value, ctx) => {
    const url = new URL(value)
    if (url.pathname !== '/' || url.search || url.hash) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be an origin without a path, like https://www.example.org',
      })
      return z.NEVER
    }
    return url.origin
  })

export const TenantSettings = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  origins: z.array(Origin).max(20).default([]),
  privacyUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .nullable()
    .default(null),
  // The webhook rules (https, a public host as written); the operator's allow-list, which depends on
  // the settings, is checked where they are known (the admin route, tenant:set).
  webhookUrl: z
    .url({ protocol: /^https$/, error: 'must be an https URL' })
    .superRefine((url, ctx) => {
      const problem = webhookUrlProblem(url)
      if (problem) ctx.addIssue({ code: 'custom', message: problem })
    })
    .nullable()
    .default(null),
  webhookFormat: z.enum(['json', 'teams']).default('json'),
  theme: z
    .strictObject({
      color: z
        .string()
        .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #0b4f8a')
        .optional(),
      position: z.enum(['left', 'right']).optional(),
      title: z.string().trim().max(80).optional(),
      logoUrl: z.url({ protocol: /^https$/, error: 'must be an https URL' }).optional(),
    })
    .default({}),
})
export type TenantSettings = z.infer<typeof TenantSettings>

export type Tenant = TenantSettings & { slug: string }

type Shape = typeof TenantSettings.shape
type Given = { [K in keyof Shape]: Shape[K] extends z.ZodDefault<infer Inner> ? Inner : Shape[K] }
/** Each setting as it must be written when it is given: the defaults are for creating a tenant only. */
const given = Object.fromEntries(
  Object.entries(TenantSettings.shape).map(([key, schema]) => [
    key,
    schema instanceof z.ZodDefault ? schema.unwrap() : schema,
  ]),
) as Given

/** PUT replaces the settings: every one is given (null or [] clears one), none is defaulted away. */
export const TenantReplacement = z.strictObject(given)
/** PATCH changes the settings given; the others keep what is stored. */
export const TenantChanges = z
  .strictObject(given)
  .partial()
  .refine((changes) => Object.keys(changes).length > 0, 'must name at least one setting to change')
export type TenantChanges = z.infer<typeof TenantChanges>

/** The settings named in `changes` replaced, the others kept; undefined for a tenant that does not exist. */
export async function updateTenant(
  q: Queryable,
  slug: string,
  changes: TenantChanges,
): Promise<Tenant | undefined> {
  // Locked, so that two changes at once do not undo each other.
  await q.query('select 1 from tenants where slug = $1 for update', [slug])
  const current = await getTenant(q, slug)
  if (!current) return undefined
  const { slug: _slug, ...settings } = current
  return setTenant(q, slug, { ...settings, ...changes })
}

export async function setTenant(q: Queryable, slug: string, s: TenantSettings): Promise<Tenant> {
  await q.query(
    `insert into tenants (slug, name, allowed_origins, privacy_url, webhook_url, webhook_format, theme)
     values ($1, $2, $3, $4, $5, $6, $7::jsonb)
     on conflict (slug) do update set name = excluded.name, allowed_origins = excluded.allowed_origins,
       privacy_url = excluded.privacy_url, webhook_url = excluded.webhook_url,
       webhook_format = excluded.webhook_format, theme = excluded.theme, updated_at = now()`,
    [slug, s.name, s.origins, s.privacyUrl, s.webhookUrl, s.webhookFormat, JSON.stringify(s.theme)],
  )
  return { slug, ...s }
}

export async function getTenant(q: Queryable, slug: string): Promise<Tenant | undefined> {
  const { rows } = await q.query<Tenant>(
    `select slug, name, allowed_origins as origins, privacy_url as "privacyUrl", webhook_url as "webhookUrl",
            webhook_format as "webhookFormat", theme
     from tenants where slug = $1`,
    [slug],
  )
  return rows[0]
}

/** Whether any tenant lets pages of this origin use the chat API. */
export async function originAllowedAnywhere(q: Queryable, origin: string): Promise<boolean> {
  const { rows } = await q.query('select 1 from tenants where $1 = any(allowed_origins) limit 1', [origin])
  return rows.length > 0
}
