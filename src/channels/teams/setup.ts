// Wires the Teams channel from the configuration; undefined when MICROSOFT_APP_ID is not set. The
// cloud (BOT_CLOUD) gives the login authority, token scope, token issuer and signing keys; the two
// URL settings override its values.
import type { Config } from '../../config.ts'
import type { TeamsSender } from '../../notifications/outbox.ts'
import { plainActivity } from './activities.ts'
import { type BotVerifier, createBotVerifier } from './auth.ts'
import { BOT_CLOUDS } from './clouds.ts'
import { type Connector, createConnector } from './connector.ts'

export interface TeamsDeps {
  verify: BotVerifier
  connector: Connector
  /** Entra tenant id -> mentor tenant slug; others go to `default`. */
  tenants: ReadonlyMap<string, string>
}

export function createTeams(config: Config, fetchImpl?: typeof fetch): TeamsDeps | undefined {
  const appId = config.MICROSOFT_APP_ID
  if (!appId) return undefined
  const cloud = BOT_CLOUDS[config.BOT_CLOUD]
  return {
    verify: createBotVerifier({
      appId,
      openIdMetadataUrl: config.BOT_OPENID_METADATA_URL ?? cloud.openIdMetadataUrl,
      issuer: cloud.issuer,
      timeoutMs: config.HTTP_TIMEOUT_MS,
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
    }),
    connector: createConnector({
      appId,
      appPassword: config.MICROSOFT_APP_PASSWORD ?? '',
      // A single-tenant bot gets its token from its own tenant (config.ts requires the id).
      tenant:
        config.MICROSOFT_APP_TYPE === 'SingleTenant'
          ? (config.MICROSOFT_APP_TENANT_ID ?? cloud.loginTenant)
          : cloud.loginTenant,
      authority: config.BOT_AUTH_AUTHORITY ?? cloud.authority,
      scope: cloud.scope,
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
