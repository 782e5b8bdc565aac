// The API's rate limits: starting conversations per client and per tenant, messages per conversation
// and per tenant, searches per client. A refused request gets 429 with Retry-After and stores nothing.
import type { Config } from '../../config.ts'
import { rateLimited } from '../../errors.ts'
import { createTokenBuckets } from './token-bucket.ts'

export interface RateLimits {
  /** Throws 429 when the client (if known) or the tenant has started too many conversations. */
  conversationStart(tenant: string, client: string | undefined): void
  /** Throws 429 when the conversation or its tenant has sent too many messages. */
  message(tenant: string, conversationId: string): void
  /** Throws 429 when the client (if known) has searched too often. */
  search(client: string | undefined): void
}

export function createRateLimits(
  config: Pick<
    Config,
    | 'LIMIT_CONVERSATIONS_PER_CLIENT'
    | 'LIMIT_CONVERSATIONS_PER_TENANT'
    | 'LIMIT_MESSAGES_PER_CONVERSATION'
    | 'LIMIT_MESSAGES_PER_TENANT'
    | 'LIMIT_SEARCHES_PER_CLIENT'
  >,
  now: () => number,
): RateLimits {
  const startsPerClient = createTokenBuckets(config.LIMIT_CONVERSATIONS_PER_CLIENT, now)
  const startsPerTenant = createTokenBuckets(config.LIMIT_CONVERSATIONS_PER_TENANT, now)
  const messagesPerConversation = createTokenBuckets(config.LIMIT_MESSAGES_PER_CONVERSATION, now)
  const messagesPerTenant = createTokenBuckets(config.LIMIT_MESSAGES_PER_TENANT, now)
  const searchesPerClient = createTokenBuckets(config.LIMIT_SEARCHES_PER_CLIENT, now)
  // The narrower limit is asked first, so that one noisy client does not use up its tenant's budget.
  return {
    conversationStart(tenant, client) {
      const wait = (client === undefined ? 0 : startsPerClient.take(client)) || startsPerTenant.take(tenant)
      if (wait > 0) throw rateLimited(wait, 'new conversations')
    },
    message(tenant, conversationId) {
      const wait = messagesPerConversation.take(conversationId) || messagesPerTenant.take(tenant)
      if (wait > 0) throw rateLimited(wait, 'messages')
    },
    search(client) {
      const wait = client === undefined ? 0 : searchesPerClient.take(client)
      if (wait > 0) throw rateLimited(wait, 'searches')
    },
  }
}
