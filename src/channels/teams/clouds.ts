// The Bot Framework's endpoints per Microsoft cloud: where the bot gets its tokens (login authority,
// multi-tenant login tenant, scope) and how the tokens Teams sends are checked (OpenID metadata,
// issuer). The values are the ones Microsoft publishes for its Teams SDK (`CloudEnvironment` in
// microsoft/teams.ts: PUBLIC, US_GOV, US_GOV_DOD, CHINA) and in botframework-connector.

export type BotCloudName = 'Public' | 'USGov' | 'USGovDoD' | 'China'

export interface BotCloud {
  /** Entra ID's login host; the token endpoint is `<authority>/<tenant>/oauth2/v2.0/token`. */
  authority: string
  /** The tenant a multi-tenant bot gets its token from (a single-tenant bot uses its own). */
  loginTenant: string
  /** What the bot asks for to call the Bot Connector. */
  scope: string
  /** Where the keys that sign the Bot Framework's tokens are published. */
  openIdMetadataUrl: string
  /** The `iss` of the tokens Teams sends to the bot. */
  issuer: string
}

export const BOT_CLOUDS: Readonly<Record<BotCloudName, BotCloud>> = {
  Public: {
    authority: 'https://login.microsoftonline.com',
    loginTenant: 'botframework.com',
    scope: 'https://api.botframework.com/.default',
    openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
    issuer: 'https://api.botframework.com',
  },
  // US Government Community Cloud High (GCC High).
  USGov: {
    authority: 'https://login.microsoftonline.us',
    loginTenant: 'MicrosoftServices.onmicrosoft.us',
    scope: 'https://api.botframework.us/.default',
    openIdMetadataUrl: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
    issuer: 'https://api.botframework.us',
  },
  // US Department of Defense: the same identity endpoints as GCC High.
  USGovDoD: {
    authority: 'https://login.microsoftonline.us',
    loginTenant: 'MicrosoftServices.onmicrosoft.us',
    scope: 'https://api.botframework.us/.default',
    openIdMetadataUrl: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
    issuer: 'https://api.botframework.us',
  },
  // Microsoft Azure operated by 21Vianet.
  China: {
    authority: 'https://login.partner.microsoftonline.cn',
    loginTenant: 'microsoftservices.partner.onmschina.cn',
    scope: 'https://api.botframework.azure.cn/.default',
    openIdMetadataUrl: 'https://login.botframework.azure.cn/v1/.well-known/openidconfiguration',
    issuer: 'https://api.botframework.azure.cn',
  },
}
