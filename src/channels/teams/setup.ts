// Wires the Teams channel from the configuration; undefined when MICROSOFT_APP_ID is not set.
import type { Config } from '../../config.ts'
import type { TeamsSender } from '../../notifications/outbox.ts'
import { plainActivity } from './activities.ts'
import { createBotVerifier } from './auth.ts'
import { createConnector } from './connector.ts'
import type { TeamsDeps } from './routes.ts'

export function createTeams(config: Config, fetchImpl?: typeof fetch): TeamsDeps | undefined {
  const appId = config.MICROSOFT_APP_ID
  if (!appId) return undefined
  return {
    verify: createBotVerifier({
      appId,
      openIdMetadataUrl: config.BOT_OPENID_METADATA_URL,
      timeoutMs: config.HTTP_TIMEOUT_MS,
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
    }),
    connector: createConnector({
      appId,
      appPassword: config.MICROSOFT_APP_PASSWORD ?? '',
      tenant:
        config.MICROSOFT_APP_TYPE === 'SingleTenant'
          ? (config.MICROSOFT_APP_TENANT_ID ?? 'botframework.com')
          : 'botframework.com',
      authority: config.BOT_AUTH_AUTHORITY,
      timeoutMs: config.HTTP_TIMEOUT_MS,
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
    }),
    tenants: new Map(
      config.TEAMS_TENANTS.split(',')
        .filter(Boolean)
        .map((pair) => pair.split('=') as [string, string]),
    ),
  }
}

/** How the outbox sends a mentor's reply into a Teams conversation; undefined without Teams. */
export function teamsSender(teams: TeamsDeps | undefined): TeamsSender | undefined {
  if (!teams) return undefined
  return async (reply) => {
    await teams.connector.send(reply.serviceUrl, reply.conversationId, plainActivity(reply.text))
  }
}
