// createApp(deps): the whole HTTP surface as one Hono app, host-independent (Node, Workers, tests).
import { OpenAPIHono } from '@hono/zod-openapi'
import { bodyLimit } from 'hono/body-limit'
import { requestId } from 'hono/request-id'
import { secureHeaders } from 'hono/secure-headers'
import { teamsRoutes } from '../channels/teams/routes.ts'
import { busy } from '../errors.ts'
import { type AppDeps, turnDeps, withRuntime } from './deps.ts'
import { accessLog } from './middleware/access-log.ts'
import { chatCors } from './middleware/cors.ts'
import { defaultCsp } from './middleware/csp.ts'
import { createErrorHandler, errorResponse, notFoundHandler, payloadTooLarge } from './middleware/errors.ts'
import { inputGuard } from './middleware/input-guard.ts'
import { validationHook } from './middleware/validation.ts'
import { type OpenApiDocument, withExamples } from './openapi/document.ts'
import { conversationRoutes } from './routes/conversations.ts'
import { docsRoutes } from './routes/docs.ts'
import { healthRoutes } from './routes/health.ts'
import { knowledgeRoutes } from './routes/knowledge.ts'
import { mentorAccountRoutes } from './routes/mentor-accounts.ts'
import { mentorRoutes } from './routes/mentor-api.ts'
import { mentorConsoleRoutes } from './routes/mentor-console.ts'
import { searchRoutes } from './routes/search.ts'
import { setupRoutes } from './routes/setup.ts'
import { widgetRoutes } from './routes/widget.ts'

export function createApp(appDeps: AppDeps) {
  const deps = withRuntime(appDeps)
  const app = new OpenAPIHono({ defaultHook: validationHook })

  app.use(requestId())
  app.use(accessLog(deps.logger))
  // Resources are same-origin unless a route says otherwise (the widget script is for every site).
  app.use(secureHeaders({ crossOriginResourcePolicy: false }))
  app.use(async (c, next) => {
    await next()
    if (!c.res.headers.has('cross-origin-resource-policy'))
      c.res.headers.set('cross-origin-resource-policy', 'same-origin')
  })
  app.use(defaultCsp())
  app.use(
    bodyLimit({ maxSize: deps.config.BODY_LIMIT_BYTES, onError: (c) => errorResponse(c, payloadTooLarge()) }),
  )
  app.use('/v1/*', inputGuard())

  const cors = chatCors(deps.database)
  // `/v1/conversations/*` also matches `/v1/conversations` itself: naming both ran the check twice.
  for (const path of ['/v1/conversations/*', '/v1/messages/*', '/v1/widget/*']) app.use(path, cors)
  // After CORS, so that a page can read the refusal; before any route stores anything.
  const { overloaded } = deps
  if (overloaded)
    app.use('/v1/*', async (_c, next) => {
      if (overloaded()) throw busy(2)
      await next()
    })

  app.route('/', healthRoutes(deps))
  app.route('/', searchRoutes(deps))
  app.route('/', conversationRoutes(deps))
  app.route('/', mentorRoutes(deps))
  app.route('/', mentorAccountRoutes(deps))
  app.route('/', setupRoutes(deps))
  app.route('/', mentorConsoleRoutes())
  app.route('/', widgetRoutes(deps))
  app.route('/', knowledgeRoutes(deps.knowledge))
  app.route(
    '/',
    teamsRoutes({
      ...turnDeps(deps),
      teams: deps.teams,
      logger: deps.logger,
      limits: deps.limits,
      turns: deps.turns,
      afterResponse: deps.afterResponse,
      compactor: deps.compactor,
    }),
  )

  app.openAPIRegistry.registerComponent('securitySchemes', 'conversationToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'The token returned when the conversation was created',
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'mentorToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'A mentor’s token, as printed once by `npm run mentor:add`',
  })

  const documentConfig = {
    openapi: '3.1.0',
    info: {
      title: 'Digital-Mentor API',
      version: '0.1.0',
      description:
        'A conversational AI mentor for SMEs introducing AI: search, chat and the mentor workspace.',
    },
  }
  // Built on the first request: every route is registered by then, and the examples are made once.
  let document: OpenApiDocument | undefined
  const apiDocument = () => {
    document ??= withExamples(app.getOpenAPI31Document(documentConfig) as unknown as OpenApiDocument)
    return document
  }
  app.route('/', docsRoutes(apiDocument, deps.docsAssets))

  app.notFound(notFoundHandler)
  app.onError(createErrorHandler(deps.logger))
  return app
}

export type App = ReturnType<typeof createApp>
