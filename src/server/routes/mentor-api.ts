// The mentor API: the handoff queue of the mentor's tenant, AI drafts, replies back to the user,
// aggregate insights and corpus suggestions. Every call is audited (who, what, when, which ticket);
// a change and its audit entry are written in one transaction.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { draftAnswer, questionToDraft } from '../../agents/drafter.ts'
import { teamsReference } from '../../channels/teams/conversations.ts'
import { teamsSender } from '../../channels/teams/setup.ts'
import type { Queryable } from '../../db/database.ts'
import { AppError, busy, notFound } from '../../errors.ts'
import { createMentor, type Mentor } from '../../mentors/accounts.ts'
import { type AuditAction, type AuditDetails, type AuditTarget, audit } from '../../mentors/audit.ts'
import {
  claimHandoff,
  closeHandoff,
  getHandoff,
  listHandoffs,
  QUEUE_PAGE_MAX,
  replyToHandoff,
} from '../../mentors/handoff-queue.ts'
import { insights, listSuggestions } from '../../mentors/insights.ts'
import { deliverDue, enqueueTeamsReply } from '../../notifications/outbox.ts'
import { webhookPolicy, webhookUrlProblem } from '../../notifications/webhook-url.ts'
import { Audience } from '../../retrieval/corpus-schema.ts'
import {
  setTenant,
  TenantChanges,
  TenantReplacement,
  TenantSettings,
  TenantSlug,
  updateTenant,
} from '../../tenants/tenants.ts'
import type { RouteDeps } from '../deps.ts'
import { type MentorEnv, mentorAuth } from '../middleware/mentor-auth.ts'
import { ErrorSchema } from '../schemas.ts'

const Status = z.enum(['open', 'claimed', 'answered', 'closed', 'withdrawn'])
const Citation = z.object({
  n: z.int(),
  documentId: z.string(),
  title: z.string(),
  heading: z.string(),
  url: z.string().optional(),
  reviewed: z.string().optional(),
})
/**
 * A source a mentor names for a reply: a document of the knowledge base and, if they like, one of its
 * sections. Title, address and review date are read from the corpus; what a client sends for them is
 * ignored, so a draft's citations can be sent back as they are.
 */
const CitationRequest = z
  .object({
    documentId: z.string().trim().min(1).max(200),
    heading: z.string().trim().max(500).optional(),
    n: z.int().min(1).max(99).optional(),
  })
  .openapi('CitationRequest')
const HandoffSummary = z
  .object({
    id: z.string(),
    status: Status,
    reason: z.string(),
    channel: z.string(),
    question: z.string(),
    claimedBy: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('HandoffSummary')
const QueueEntry = HandoffSummary.extend({
  conversationId: z.string(),
  /** How many tickets of the status asked for the conversation has; the entry is the latest of them. */
  conversationTickets: z.number(),
}).openapi('QueueEntry')
const HandoffDetail = HandoffSummary.extend({
  conversationId: z.string(),
  routerReason: z.string(),
  /** The router's reason in German and in English, for the console's language. */
  routerReasons: z.object({ de: z.string(), en: z.string() }),
  transcript: z.array(z.object({ author: z.string(), text: z.string(), at: z.string() })),
  replies: z.array(
    z.object({ id: z.string(), text: z.string(), mentor: z.string().nullable(), at: z.string() }),
  ),
  contactEmail: z.string().nullable(),
  locale: z.string(),
  role: z.string().nullable(),
}).openapi('HandoffDetail')
const Draft = z
  .object({
    text: z.string(),
    citations: z.array(Citation),
    mode: z.enum(['generated', 'extractive']),
    flags: z.array(z.string()),
  })
  .openapi('Draft')

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})
const errors = {
  400: json(ErrorSchema, 'Invalid request'),
  401: json(ErrorSchema, 'No or an invalid mentor token'),
  404: json(ErrorSchema, 'No such handoff in the mentor’s tenant'),
}
const security = [{ mentorToken: [] }]
const HandoffId = z.object({ id: z.uuid({ error: 'must be a handoff id (UUID)' }) })
const tags = ['Mentors']

const list = createRoute({
  method: 'get',
  path: '/v1/handoffs',
  tags,
  security,
  summary:
    'The handoff queue of the mentor’s tenant: one entry per conversation (its latest ticket), crises a mentor has not answered first, then the newest; in pages',
  request: {
    query: z.object({
      status: Status.optional(),
      limit: z.coerce
        .number({ error: `must be a number from 1 to ${QUEUE_PAGE_MAX}` })
        .int(`must be a whole number from 1 to ${QUEUE_PAGE_MAX}`)
        .min(1, `must be a number from 1 to ${QUEUE_PAGE_MAX}`)
        .max(QUEUE_PAGE_MAX, `must be a number from 1 to ${QUEUE_PAGE_MAX}`)
        .default(50)
        .openapi({ description: 'Conversations per page' }),
      cursor: z
        .string()
        .max(200)
        .optional()
        .openapi({ description: 'The `nextCursor` of the previous page; absent: the first page' }),
    }),
  },
  responses: {
    200: json(
      z.object({
        handoffs: z.array(QueueEntry),
        /** Pass as `cursor` for the next page; null on the last page. */
        nextCursor: z.string().nullable(),
      }),
      'One page of the queue',
    ),
    ...errors,
  },
})
const read = createRoute({
  method: 'get',
  path: '/v1/handoffs/{id}',
  tags,
  security,
  summary: 'A handoff with the transcript it was handed over with and the replies since',
  request: { params: HandoffId },
  responses: { 200: json(HandoffDetail, 'The handoff'), ...errors },
})
const claim = createRoute({
  method: 'post',
  path: '/v1/handoffs/{id}/claim',
  tags,
  security,
  summary: 'Take the handoff; only an open one can be claimed (409 otherwise)',
  request: { params: HandoffId },
  responses: { 200: json(HandoffDetail, 'Claimed'), 409: json(ErrorSchema, 'Not open'), ...errors },
})
const draft = createRoute({
  method: 'post',
  path: '/v1/handoffs/{id}/draft',
  tags,
  security,
  summary: 'An AI draft for the reply, grounded in the corpus with citations (for the mentor to edit)',
  request: { params: HandoffId },
  responses: {
    200: json(Draft, 'The draft'),
    409: json(ErrorSchema, 'The user erased the conversation'),
    503: json(ErrorSchema, 'The model’s queue is full'),
    ...errors,
  },
})
const reply = createRoute({
  method: 'post',
  path: '/v1/handoffs/{id}/reply',
  tags,
  security,
  summary: 'Send the mentor’s reply into the user’s conversation',
  request: {
    params: HandoffId,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.strictObject({
            text: z.string().trim().min(1, 'must not be empty').max(8000, 'must be at most 8000 characters'),
            citations: z.array(CitationRequest).max(20).default([]),
            suggestForCorpus: z.boolean().default(false),
          }),
        },
      },
    },
  },
  responses: {
    201: json(z.object({ handoff: HandoffDetail, messageId: z.string() }), 'Delivered'),
    403: json(ErrorSchema, 'Claimed by another mentor'),
    409: json(ErrorSchema, 'Not claimed, closed or withdrawn, or the user erased the conversation'),
    ...errors,
  },
})
const close = createRoute({
  method: 'post',
  path: '/v1/handoffs/{id}/close',
  tags,
  security,
  summary: 'Close the handoff',
  request: { params: HandoffId },
  responses: {
    200: json(HandoffDetail, 'Closed'),
    409: json(ErrorSchema, 'Already closed or withdrawn'),
    ...errors,
  },
})
const drafts = createRoute({
  method: 'post',
  path: '/v1/drafts',
  tags,
  security,
  summary: 'A cited draft for any question a mentor is answering elsewhere',
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.strictObject({
            question: z.string().trim().min(3, 'must have at least 3 characters').max(4000),
            role: Audience.optional(),
            lang: z.enum(['de', 'en']).optional(),
          }),
        },
      },
    },
  },
  responses: {
    200: json(Draft, 'The draft'),
    503: json(ErrorSchema, 'The model’s queue is full'),
    ...errors,
  },
})
const insightsRoute = createRoute({
  method: 'get',
  path: '/v1/insights',
  tags,
  security,
  summary: 'Aggregates of the tenant (no individual conversations) and knowledge gaps',
  request: {
    query: z.object({
      days: z.coerce
        .number({ error: 'must be a number of days from 1 to 365' })
        .int('must be a whole number of days from 1 to 365')
        .min(1, 'must be a number of days from 1 to 365')
        .max(365, 'must be a number of days from 1 to 365')
        .default(30)
        .openapi({ description: 'The period: this many days back from now' }),
    }),
  },
  responses: {
    200: json(
      z.object({
        since: z.string(),
        questionsByRoute: z.record(z.string(), z.number()),
        handoffsByReason: z.record(z.string(), z.number()),
        handoffsByStatus: z.record(z.string(), z.number()),
        feedback: z.object({ up: z.number(), down: z.number() }),
        knowledgeGaps: z.array(
          z.object({
            question: z.string(),
            lang: z.string(),
            bestScore: z.number().nullable(),
            createdAt: z.string(),
          }),
        ),
        notifications: z.object({ delivered: z.number(), undelivered: z.number() }),
        overdueDocuments: z.array(
          z.object({ id: z.string(), title: z.string(), lang: z.string(), reviewBy: z.string() }),
        ),
        daily: z
          .object({
            days: z.array(z.string()).openapi({ description: 'UTC days, oldest first (YYYY-MM-DD)' }),
            chats: z.array(z.number()).openapi({ description: 'Chats started each day' }),
            handoffs: z
              .record(z.string(), z.array(z.number()))
              .openapi({ description: 'Handoffs each day, per reason class' }),
            ratings: z.object({ up: z.array(z.number()), down: z.array(z.number()) }),
          })
          .openapi({ description: 'The period day by day (one value per day, zeros included); totals only' }),
      }),
      'Insights',
    ),
    ...errors,
  },
})
const suggestions = createRoute({
  method: 'get',
  path: '/v1/suggestions',
  tags,
  security,
  summary: 'Mentor replies suggested for the corpus, for curators',
  responses: {
    200: json(
      z.object({
        suggestions: z.array(
          z.object({
            id: z.string(),
            question: z.string(),
            reply: z.string(),
            citations: z.array(z.unknown()),
            status: z.string(),
            handoffId: z.string().nullable(),
            createdAt: z.string(),
          }),
        ),
      }),
      'Suggestions',
    ),
    ...errors,
  },
})

const addMentor = createRoute({
  method: 'post',
  path: '/v1/admin/mentors',
  tags,
  security,
  summary: 'An admin adds a mentor to their tenant; the token is returned only this once',
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.strictObject({
            name: z.string().trim().min(1, 'must not be empty').max(100),
            admin: z.boolean().default(false),
          }),
        },
      },
    },
  },
  responses: {
    201: json(
      z.object({
        id: z.string(),
        name: z.string(),
        tenant: z.string(),
        role: z.string(),
        token: z.string(),
        tokenExpiresAt: z.string(),
      }),
      'Created',
    ),
    403: json(ErrorSchema, 'Not an admin'),
    ...errors,
  },
})

const setTenantRoute = createRoute({
  method: 'put',
  path: '/v1/admin/tenants/{slug}',
  tags,
  security,
  summary:
    'An admin replaces their tenant’s settings: name, allowed origins, privacy notice, webhook, widget theme; every field is required (PATCH changes some)',
  request: {
    params: z.object({ slug: TenantSlug }),
    body: { required: true, content: { 'application/json': { schema: TenantReplacement } } },
  },
  responses: {
    200: json(TenantSettings.extend({ slug: z.string() }), 'Stored'),
    403: json(ErrorSchema, 'Not an admin of this tenant'),
    ...errors,
  },
})
const changeTenantRoute = createRoute({
  method: 'patch',
  path: '/v1/admin/tenants/{slug}',
  tags,
  security,
  summary: 'An admin changes some of their tenant’s settings; those not given keep their values',
  request: {
    params: z.object({ slug: TenantSlug }),
    body: { required: true, content: { 'application/json': { schema: TenantChanges } } },
  },
  responses: {
    200: json(TenantSettings.extend({ slug: z.string() }), 'Stored'),
    403: json(ErrorSchema, 'Not an admin of this tenant'),
    ...errors,
  },
})

const iso = (value: string) => new Date(value).toISOString()
const summary = <T extends { createdAt: string; updatedAt: string }>(h: T) => ({
  ...h,
  createdAt: iso(h.createdAt),
  updatedAt: iso(h.updatedAt),
})
const detail = (h: Awaited<ReturnType<typeof getHandoff>>) => ({
  ...summary(h),
  transcript: h.transcript.map((t) => ({ ...t, at: iso(t.at) })),
  replies: h.replies.map((r) => ({ ...r, at: iso(r.at) })),
})

export function mentorRoutes(deps: RouteDeps) {
  const app = new OpenAPIHono<MentorEnv>()
  const db = deps.database
  const auth = mentorAuth(db)
  const webhookRules = webhookPolicy(deps.config)
  /** The operator's webhook rules (allow-list included) for PUT and PATCH alike. */
  const refuseWebhook = (webhookUrl: string | null | undefined) => {
    const problem = webhookUrl && webhookUrlProblem(webhookUrl, webhookRules)
    if (problem) throw new AppError('validation_failed', 400, `webhookUrl: ${problem}`)
  }
  /** A draft through the model's gate: a full queue is a 503, a wait that runs out drafts offline. */
  const gatedDraft = async (request: Parameters<typeof draftAnswer>[1]) => {
    if (!deps.model) return draftAnswer(deps, request)
    const slot = deps.modelGate.tryEnter()
    if (!slot) throw busy(5)
    try {
      if (await slot.acquired) return await draftAnswer(deps, request)
      const draft = await draftAnswer({ ...deps, model: undefined }, request)
      return { ...draft, flags: [...draft.flags, 'model_busy'] }
    } finally {
      slot.release()
    }
  }
  /** A change and its audit entry, written in one transaction. */
  const audited = <T>(
    mentor: Mentor,
    action: AuditAction,
    target: AuditTarget,
    change: (tx: Queryable) => Promise<T>,
    details?: AuditDetails,
  ) =>
    db.transaction(async (tx) => {
      const result = await change(tx)
      await audit(tx, mentor, action, target, details)
      return result
    })
  for (const path of [
    '/v1/handoffs',
    '/v1/handoffs/*',
    '/v1/drafts',
    '/v1/insights',
    '/v1/suggestions',
    '/v1/admin/*',
  ])
    app.use(path, auth)

  app.openapi(list, async (c) => {
    const mentor = c.var.mentor
    const { status, limit, cursor } = c.req.valid('query')
    const page = await listHandoffs(db, mentor.tenant, { status, limit, cursor })
    await audit(db, mentor, 'handoff.list', undefined, status ? { status } : {})
    return c.json({ handoffs: page.handoffs.map(summary), nextCursor: page.nextCursor }, 200)
  })

  app.openapi(read, async (c) => {
    const mentor = c.var.mentor
    const { id } = c.req.valid('param')
    const handoff = await getHandoff(db, mentor.tenant, id)
    await audit(db, mentor, 'handoff.view', { type: 'handoff', id })
    return c.json(detail(handoff), 200)
  })

  app.openapi(claim, async (c) => {
    const mentor = c.var.mentor
    const { id } = c.req.valid('param')
    const handoff = await audited(mentor, 'handoff.claim', { type: 'handoff', id }, (tx) =>
      claimHandoff(tx, mentor, id),
    )
    return c.json(detail(handoff), 200)
  })

  app.openapi(draft, async (c) => {
    const mentor = c.var.mentor
    const { id } = c.req.valid('param')
    const handoff = await getHandoff(db, mentor.tenant, id)
    // The question is the user's last message before the handoff that asks something, in full.
    const question =
      questionToDraft(handoff.transcript.filter((t) => t.author === 'user').map((t) => t.text)) ??
      handoff.question
    // An erased conversation keeps no question to draft for.
    if (!question.trim())
      throw new AppError('conflict', 409, 'The user erased this conversation: there is nothing to draft for.')
    const result = await gatedDraft({
      question,
      lang: handoff.locale === 'en' ? 'en' : 'de',
      role: handoff.role,
      signer: mentor.name,
    })
    await audit(db, mentor, 'handoff.draft', { type: 'handoff', id }, { mode: result.mode })
    return c.json(result, 200)
  })

  app.openapi(reply, async (c) => {
    const mentor = c.var.mentor
    const { id } = c.req.valid('param')
    const body = c.req.valid('json')
    const { handoff, message } = await audited(
      mentor,
      'handoff.reply',
      { type: 'handoff', id },
      async (tx) => {
        const sent = await replyToHandoff(tx, mentor, id, {
          text: body.text,
          citations: body.citations,
          suggest: body.suggestForCorpus,
        })
        const ref =
          sent.handoff.channel === 'teams' ? await teamsReference(tx, sent.handoff.conversationId) : undefined
        if (ref)
          await enqueueTeamsReply(tx, mentor.tenant, {
            serviceUrl: ref.serviceUrl,
            conversationId: ref.conversationId,
            text: sent.message.text,
          })
        return sent
      },
      { suggestForCorpus: body.suggestForCorpus },
    )
    // A Teams conversation gets the reply through the outbox (queued with it above): tried at once,
    // retried by the dispatcher when the connector is down.
    if (handoff.channel === 'teams')
      await deliverDue(db, {
        webhooks: deps.webhooks,
        publicUrl: deps.config.PUBLIC_URL,
        teams: teamsSender(deps.teams),
        logger: deps.logger,
        timeoutMs: deps.config.HTTP_TIMEOUT_MS,
      })
    return c.json({ handoff: detail(handoff), messageId: message.id }, 201)
  })

  app.openapi(close, async (c) => {
    const mentor = c.var.mentor
    const { id } = c.req.valid('param')
    const handoff = await audited(mentor, 'handoff.close', { type: 'handoff', id }, (tx) =>
      closeHandoff(tx, mentor, id),
    )
    return c.json(detail(handoff), 200)
  })

  app.openapi(drafts, async (c) => {
    const mentor = c.var.mentor
    const body = c.req.valid('json')
    const result = await gatedDraft({
      question: body.question,
      lang: body.lang,
      role: body.role,
      signer: mentor.name,
    })
    await audit(db, mentor, 'draft.create', undefined, { mode: result.mode })
    return c.json(result, 200)
  })

  app.openapi(insightsRoute, async (c) => {
    const mentor = c.var.mentor
    const { days } = c.req.valid('query')
    const result = await insights(db, mentor.tenant, days, (deps.now ?? Date.now)())
    await audit(db, mentor, 'insights.view', undefined, { days })
    return c.json(result, 200)
  })

  app.openapi(suggestions, async (c) => {
    const mentor = c.var.mentor
    const result = await listSuggestions(db, mentor.tenant)
    await audit(db, mentor, 'suggestions.view')
    return c.json({ suggestions: result }, 200)
  })

  app.openapi(setTenantRoute, async (c) => {
    const admin = c.var.mentor
    const { slug } = c.req.valid('param')
    if (admin.role !== 'admin' || admin.tenant !== slug)
      throw new AppError('forbidden', 403, 'Only an admin of this tenant can change its settings.')
    const settings = c.req.valid('json')
    refuseWebhook(settings.webhookUrl)
    const tenant = await audited(admin, 'tenant.set', { type: 'tenant', id: slug }, (tx) =>
      setTenant(tx, slug, settings),
    )
    return c.json(tenant, 200)
  })

  app.openapi(changeTenantRoute, async (c) => {
    const admin = c.var.mentor
    const { slug } = c.req.valid('param')
    if (admin.role !== 'admin' || admin.tenant !== slug)
      throw new AppError('forbidden', 403, 'Only an admin of this tenant can change its settings.')
    const changes = c.req.valid('json')
    refuseWebhook(changes.webhookUrl)
    const tenant = await audited(
      admin,
      'tenant.set',
      { type: 'tenant', id: slug },
      async (tx) => {
        const updated = await updateTenant(tx, slug, changes)
        if (!updated) throw notFound('The tenant')
        return updated
      },
      { fields: Object.keys(changes).sort().join(',') },
    )
    return c.json(tenant, 200)
  })

  app.openapi(addMentor, async (c) => {
    const admin = c.var.mentor
    if (admin.role !== 'admin')
      throw new AppError('forbidden', 403, 'Only an admin of the tenant can add mentors.')
    const body = c.req.valid('json')
    const { mentor, token, tokenExpiresAt } = await db.transaction(async (tx) => {
      const created = await createMentor(
        tx,
        { name: body.name, tenant: admin.tenant, role: body.admin ? 'admin' : 'mentor' },
        { tokenDays: deps.config.MENTOR_TOKEN_DAYS },
      )
      await audit(tx, admin, 'mentor.create', { type: 'mentor', id: created.mentor.id })
      return created
    })
    return c.json({ ...mentor, token, tokenExpiresAt }, 201)
  })

  return app
}
