// The chat API: conversations reached by capability token, messages as JSON or as server-sent events.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import { requestHandoff } from '../../agents/handoff.ts'
import { OFFER_FLAG, runTurn, TURN_HISTORY, type TurnEvent } from '../../agents/mentor.ts'
import { t } from '../../agents/texts.ts'
import { exportConversation } from '../../conversations/export.ts'
import {
  addFeedback,
  eraseConversation,
  type FoundConversation,
  findConversation,
  findMessageInConversation,
  listMessages,
  type MessageRow,
  openConversation,
  openHandoffs,
  setHandoffContact,
} from '../../conversations/repository.ts'
import { newToken, tokenMatches } from '../../conversations/tokens.ts'
import { AppError, busy, notFound } from '../../errors.ts'
import { describeError } from '../../log.ts'
import { Audience } from '../../retrieval/corpus-schema.ts'
import { getTenant } from '../../tenants/tenants.ts'
import { type RouteDeps, turnDeps } from '../deps.ts'
import { clientAddress } from '../limits/client-address.ts'
import { bearerToken } from '../middleware/bearer.ts'
import { assertOriginIn } from '../middleware/cors.ts'
import { toAppError } from '../middleware/errors.ts'
import { ErrorSchema } from '../schemas.ts'
import { createSseBatcher } from '../sse-batch.ts'

const Locale = z.enum(['de', 'en'])
const Uuid = z.uuid({ error: 'must be a conversation id (UUID)' })

const Citation = z
  .object({
    n: z.int(),
    documentId: z.string(),
    title: z.string(),
    heading: z.string(),
    url: z.string().optional(),
    /** The day the cited document was last checked against its sources ("Stand"). */
    reviewed: z.string().optional(),
  })
  .openapi('Citation')
const Message = z
  .object({
    id: z.string(),
    author: z.enum(['user', 'assistant', 'mentor', 'system']),
    text: z.string(),
    route: z.string().nullable(),
    mode: z.string().nullable(),
    status: z.enum(['complete', 'partial', 'interrupted']),
    citations: z.array(Citation),
    /** `handoff`: the reply offers a mentor; show it as an action (POST …/handoff). */
    actions: z.array(z.enum(['handoff'])),
    createdAt: z.string(),
  })
  .openapi('Message')
const Handoff = z.object({ id: z.string(), status: z.string(), reason: z.string() }).openapi('Handoff')

const errors = {
  400: { description: 'Invalid request', content: { 'application/json': { schema: ErrorSchema } } },
  401: { description: 'No conversation token', content: { 'application/json': { schema: ErrorSchema } } },
  404: {
    description: 'No such conversation for this token',
    content: { 'application/json': { schema: ErrorSchema } },
  },
}
const bearer = [{ conversationToken: [] }]

const toMessage = (m: MessageRow) => ({
  id: m.id,
  author: m.author,
  text: m.text,
  route: m.route,
  mode: m.mode,
  status: m.status,
  citations: m.citations,
  actions: m.flags?.includes(OFFER_FLAG) ? ['handoff' as const] : [],
  createdAt: new Date(m.created_at).toISOString(),
})

/**
 * The conversation named in the path, if the bearer token opens it; the same 404 for any mismatch.
 * Read in one statement with its tenant's allowed origins and, when asked, its last messages.
 */
async function authorised(
  deps: RouteDeps,
  c: Context,
  id: string,
  options: { history?: number } = {},
): Promise<FoundConversation> {
  const token = bearerToken(c)
  if (!token)
    throw new AppError(
      'unauthorized',
      401,
      'This conversation needs its token: Authorization: Bearer <token>.',
    )
  const found = await findConversation(deps.database, id, options)
  if (!found || !tokenMatches(token, found.conversation.token_hash) || found.conversation.erased_at) {
    throw notFound('The conversation')
  }
  assertOriginIn(c, found.origins)
  return found
}

const create = createRoute({
  method: 'post',
  path: '/v1/conversations',
  tags: ['Chat'],
  summary: 'Start a conversation; the returned token is needed for every later call',
  request: {
    body: {
      required: false,
      content: {
        'application/json': {
          schema: z.strictObject({
            locale: Locale.default('de'),
            role: Audience.optional(),
            tenant: z.string().trim().toLowerCase().min(1).max(63).default('default'),
            channel: z.enum(['api', 'widget']).default('api'),
          }),
        },
      },
    },
  },
  responses: {
    201: {
      description: 'Created',
      content: {
        'application/json': {
          schema: z.object({
            id: z.string(),
            token: z.string(),
            disclosure: z.string(),
            greeting: z.string(),
          }),
        },
      },
    },
    400: errors[400],
    429: {
      description: 'Too many new conversations from this client or tenant (see Retry-After)',
      content: { 'application/json': { schema: ErrorSchema } },
    },
  },
})

const send = createRoute({
  method: 'post',
  path: '/v1/conversations/{id}/messages',
  tags: ['Chat'],
  summary: 'Send a message; JSON by default, server-sent events with Accept: text/event-stream',
  security: bearer,
  request: {
    params: z.object({ id: Uuid }),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.strictObject({
            text: z
              .string({ error: 'must be a string' })
              .trim()
              .min(1, 'must not be empty')
              .max(4000, 'must be at most 4000 characters'),
          }),
        },
      },
    },
  },
  responses: {
    200: {
      description:
        'The mentor’s reply (JSON), or the events route, sources, token, handoff, done, error (SSE)',
      content: {
        'application/json': {
          schema: z.object({
            message: Message.extend({ handoff: Handoff.optional() }),
          }),
        },
        'text/event-stream': { schema: z.string() },
      },
    },
    ...errors,
    429: {
      description: 'Too many messages in this conversation or tenant (see Retry-After)',
      content: { 'application/json': { schema: ErrorSchema } },
    },
    503: {
      description: 'The model’s queue is full (nothing was stored; see Retry-After), or the database is down',
      content: { 'application/json': { schema: ErrorSchema } },
    },
  },
})

const read = createRoute({
  method: 'get',
  path: '/v1/conversations/{id}',
  tags: ['Chat'],
  summary: 'The transcript, including later replies of human mentors',
  security: bearer,
  request: { params: z.object({ id: Uuid }) },
  responses: {
    200: {
      description: 'Transcript',
      content: {
        'application/json': {
          schema: z.object({
            id: z.string(),
            locale: Locale,
            role: z.string().nullable(),
            createdAt: z.string(),
            messages: z.array(Message),
            handoffs: z.array(Handoff),
          }),
        },
      },
    },
    ...errors,
  },
})

const erase = createRoute({
  method: 'delete',
  path: '/v1/conversations/{id}',
  tags: ['Chat'],
  summary:
    'Erase the conversation: its messages, feedback, knowledge gaps, corpus suggestions and notifications; its handoffs end (withdrawn or closed) without their texts',
  security: bearer,
  request: { params: z.object({ id: Uuid }) },
  responses: { 204: { description: 'Erased' }, ...errors },
})

const Dated = z.string().nullable()
const ExportSchema = z
  .object({
    conversation: z.object({
      id: z.string(),
      tenant: z.string(),
      channel: z.string(),
      locale: z.string(),
      role: z.string().nullable(),
      createdAt: Dated,
      lastActivityAt: Dated,
    }),
    messages: z.array(
      z.object({
        id: z.string(),
        author: z.string(),
        text: z.string(),
        status: z.string(),
        mode: z.string().nullable(),
        route: z.string().nullable(),
        routeReason: z.string().nullable(),
        citations: z.array(z.unknown()),
        lang: z.string().nullable(),
        flags: z.array(z.string()),
        createdAt: Dated,
      }),
    ),
    handoffs: z.array(
      z.object({
        id: z.string(),
        status: z.string(),
        reason: z.string(),
        channel: z.string(),
        contactEmail: z.string().nullable(),
        contactConsentAt: Dated,
        createdAt: Dated,
        claimedAt: Dated,
        answeredAt: Dated,
        closedAt: Dated,
      }),
    ),
    feedback: z.array(
      z.object({
        id: z.string(),
        messageId: z.string(),
        rating: z.string(),
        comment: z.string().nullable(),
        createdAt: Dated,
        updatedAt: Dated,
      }),
    ),
    knowledgeGaps: z.array(z.object({ question: z.string(), lang: z.string(), createdAt: Dated })),
    /** Mentor replies to this conversation's handoffs that a mentor proposed for the knowledge base. */
    corpusSuggestions: z.array(
      z.object({
        id: z.string(),
        handoffId: z.string(),
        question: z.string(),
        reply: z.string(),
        status: z.string(),
        createdAt: Dated,
      }),
    ),
  })
  .openapi('ConversationExport')

const exportRoute = createRoute({
  method: 'get',
  path: '/v1/conversations/{id}/export',
  tags: ['Chat'],
  summary: 'Everything stored about the conversation, as a JSON download (data access for its owner)',
  security: bearer,
  request: { params: z.object({ id: Uuid }) },
  responses: {
    200: {
      description: 'The export, sent as an attachment',
      content: { 'application/json': { schema: ExportSchema } },
    },
    ...errors,
  },
})

const feedback = createRoute({
  method: 'post',
  path: '/v1/messages/{id}/feedback',
  tags: ['Chat'],
  summary:
    'Rate a reply of the mentor (the token of its conversation is needed); rating it again replaces the rating',
  security: bearer,
  request: {
    params: z.object({ id: z.uuid({ error: 'must be a message id (UUID)' }) }),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.strictObject({
            rating: z.enum(['up', 'down']),
            comment: z.string().trim().max(2000, 'must be at most 2000 characters').optional(),
          }),
        },
      },
    },
  },
  responses: {
    201: { description: 'Stored', content: { 'application/json': { schema: z.object({ id: z.string() }) } } },
    200: {
      description: 'The earlier rating of this reply was replaced',
      content: { 'application/json': { schema: z.object({ id: z.string() }) } },
    },
    ...errors,
    429: {
      description: 'Too many ratings in this conversation (see Retry-After)',
      content: { 'application/json': { schema: ErrorSchema } },
    },
  },
})

const handoff = createRoute({
  method: 'post',
  path: '/v1/conversations/{id}/handoff',
  tags: ['Chat'],
  summary: 'Ask for a human mentor (idempotent: while a ticket is open, it is returned again)',
  security: bearer,
  request: {
    params: z.object({ id: Uuid }),
    body: {
      required: false,
      content: {
        'application/json': {
          schema: z.strictObject({
            note: z
              .string({ error: 'must be a string' })
              .trim()
              .max(4000, 'must be at most 4000 characters')
              .optional(),
          }),
        },
      },
    },
  },
  responses: {
    201: {
      description: 'A mentor was asked; the reply tells the user what happens next',
      content: {
        'application/json': {
          schema: z.object({ handoff: Handoff, message: Message }),
        },
      },
    },
    200: {
      description: 'A ticket of this conversation is already open: it is returned, nothing new is stored',
      content: { 'application/json': { schema: z.object({ handoff: Handoff }) } },
    },
    ...errors,
    429: {
      description:
        'Too many messages in this conversation or tenant, or too many new handoffs from this client or tenant (see Retry-After)',
      content: { 'application/json': { schema: ErrorSchema } },
    },
  },
})

const contact = createRoute({
  method: 'post',
  path: '/v1/conversations/{id}/handoffs/{handoffId}/contact',
  tags: ['Chat'],
  summary: 'Leave an e-mail address for the mentor’s answer (with explicit consent)',
  security: bearer,
  request: {
    params: z.object({ id: Uuid, handoffId: z.uuid({ error: 'must be a handoff id (UUID)' }) }),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.strictObject({
            email: z.email({ error: 'must be an e-mail address' }).max(254),
            consent: z.literal(true, { error: 'must be true: the address is stored only with consent' }),
          }),
        },
      },
    },
  },
  responses: { 204: { description: 'Stored' }, ...errors },
})

export function conversationRoutes(deps: RouteDeps) {
  const app = new OpenAPIHono()
  const turn = turnDeps(deps)

  app.openapi(create, async (c) => {
    const body = c.req.valid('json') ?? { locale: 'de' as const, tenant: 'default' }
    const tenant = body.tenant ?? 'default'
    // Read once: whether the tenant exists and which origins it allows.
    const settings = await getTenant(deps.database, tenant)
    if (!settings) {
      throw new AppError('validation_failed', 400, `tenant: "${tenant}" is not a known tenant.`)
    }
    assertOriginIn(c, settings.origins)
    deps.limits.conversationStart(tenant, clientAddress(c, deps.config.CLIENT_IP_HEADER, deps.peerAddress))
    const locale = body.locale ?? 'de'
    const { token, hash } = newToken()
    const conversation = await openConversation(
      deps.database,
      { tenant, channel: body.channel ?? 'api', locale, role: body.role ?? null, tokenHash: hash },
      { greeting: true },
    )
    return c.json(
      { id: conversation.id, token, disclosure: t(locale).disclosure, greeting: t(locale).greeting },
      201,
    )
  })

  app.openapi(send, async (c) => {
    const { id } = c.req.valid('param')
    const { text } = c.req.valid('json')
    // The history comes with the conversation; the user's message is stored by the turn, after the
    // limits and the model's gate below have admitted it (they need the tenant this read finds).
    const { conversation, history } = await authorised(deps, c, id, { history: TURN_HISTORY })
    deps.limits.message(conversation.tenant_slug, conversation.id)
    const inFlight = deps.turns.begin()
    // With a model, the turn takes its place at the model's gate before anything is stored: a full
    // queue is a 503 the client can simply retry, and a turn that got a place always answers (offline
    // when its wait for the model runs out).
    const slot = deps.model ? deps.modelGate.tryEnter(inFlight.signal) : undefined
    if (deps.model && !slot) {
      inFlight.end()
      throw busy(5)
    }
    const finish = () => {
      slot?.release()
      inFlight.end()
    }
    const events = runTurn(turn, conversation, text, {
      history,
      slot,
      signal: inFlight.signal,
      client: clientAddress(c, deps.config.CLIENT_IP_HEADER, deps.peerAddress),
    })
    if ((c.req.header('accept') ?? '').includes('text/event-stream')) {
      // The typed route knows only its JSON response; the event stream is the documented alternative.
      return streamSSE(c, async (stream) => {
        const out = createSseBatcher((text) => stream.write(text))
        stream.onAbort(() => out.close())
        try {
          for await (const event of events) await out.send(event.type, JSON.stringify(eventData(event)))
        } catch (error) {
          const failure = toAppError(error)
          deps.logger.error('turn failed while streaming', {
            conversationId: id,
            code: failure.code,
            ...describeError(error),
          })
          // The event carries what a client may see: the code and the safe message, never the cause.
          await out.send('error', JSON.stringify(failure.toBody()))
        } finally {
          await out.flush()
          finish()
        }
      }) as never
    }
    let done: Extract<TurnEvent, { type: 'done' }> | undefined
    try {
      for await (const event of events) if (event.type === 'done') done = event
    } finally {
      finish()
    }
    if (!done) throw new AppError('internal', 500, 'The reply could not be completed.')
    return c.json(
      { message: { ...toMessage(done.message), ...(done.handoff ? { handoff: done.handoff } : {}) } },
      200,
    )
  })

  app.openapi(handoff, async (c) => {
    const { id } = c.req.valid('param')
    const body = c.req.valid('json') ?? {}
    const { conversation } = await authorised(deps, c, id)
    deps.limits.message(conversation.tenant_slug, conversation.id)
    const client = clientAddress(c, deps.config.CLIENT_IP_HEADER, deps.peerAddress)
    const result = await requestHandoff(turn, conversation, body.note, client)
    if (!result.created || !result.message) return c.json({ handoff: result.ticket }, 200)
    return c.json({ handoff: result.ticket, message: toMessage(result.message) }, 201)
  })

  app.openapi(exportRoute, async (c) => {
    const { id } = c.req.valid('param')
    await authorised(deps, c, id)
    const data = await exportConversation(deps.database, id)
    if (!data) throw notFound('The conversation')
    return c.json(data, 200, {
      'Content-Disposition': `attachment; filename="conversation-${id}.json"`,
      'Cache-Control': 'no-store',
    })
  })

  app.openapi(read, async (c) => {
    const { id } = c.req.valid('param')
    const { conversation } = await authorised(deps, c, id)
    const messages = await listMessages(deps.database, id)
    const handoffs = await openHandoffs(deps.database, id)
    return c.json(
      {
        id,
        locale: conversation.locale,
        role: conversation.role,
        createdAt: new Date(conversation.created_at).toISOString(),
        messages: messages.map(toMessage),
        handoffs: handoffs.map((h) => ({ id: h.id, status: h.status, reason: h.reason_class })),
      },
      200,
    )
  })

  app.openapi(erase, async (c) => {
    const { id } = c.req.valid('param')
    await authorised(deps, c, id)
    await deps.database.transaction((tx) => eraseConversation(tx, id))
    // The id (never text), so that the erasure can be applied again to a restored backup.
    deps.logger.info('conversation erased', { conversationId: id })
    // The embedded database keeps deleted rows in its files until its tables are rewritten.
    deps.compactor.request()
    return c.body(null, 204)
  })

  app.openapi(contact, async (c) => {
    const { id, handoffId } = c.req.valid('param')
    const { email } = c.req.valid('json')
    await authorised(deps, c, id)
    if (!(await setHandoffContact(deps.database, { conversationId: id, handoffId, email }))) {
      throw notFound('The handoff')
    }
    return c.body(null, 204)
  })

  app.openapi(feedback, async (c) => {
    const { id } = c.req.valid('param')
    const body = c.req.valid('json')
    const message = await findMessageInConversation(deps.database, id)
    // The same answer as for a wrong token: message ids of other conversations stay unknowable.
    if (!message) throw notFound('The conversation')
    await authorised(deps, c, message.conversation_id)
    if (message.author !== 'assistant' && message.author !== 'mentor') {
      throw new AppError(
        'validation_failed',
        400,
        'Only replies (of the Digital-Mentor or a human mentor) can be rated.',
      )
    }
    deps.limits.feedback(message.conversation_id)
    const stored = await addFeedback(deps.database, {
      messageId: id,
      rating: body.rating,
      comment: body.comment ?? null,
    })
    return c.json({ id: stored.id }, stored.created ? 201 : 200)
  })

  return app
}

function eventData(event: TurnEvent): unknown {
  switch (event.type) {
    case 'done':
      return {
        message: { ...toMessage(event.message), ...(event.handoff ? { handoff: event.handoff } : {}) },
      }
    case 'route':
      return { route: event.route, stage: event.stage, reason: event.reason, offer: event.offer }
    case 'sources':
      return { sources: event.sources }
    case 'token':
      return { text: event.text }
    case 'handoff':
      return { handoff: event.handoff }
    case 'error':
      return { error: event.error }
  }
}
