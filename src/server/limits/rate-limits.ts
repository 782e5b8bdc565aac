// The API's rate limits: starting conversations per client and per tenant, messages per conversation
// and per tenant, searches per client, new handoff tickets per client and per tenant, and ratings per
// conversation. A refused request gets 429 with Retry-After and stores nothing.
import type { Config } from '../../config.ts'
import { rateLimited } from '../../errors.ts'
import { createTokenBuckets } from './token-bucket.ts'

const HOUR_MS = 3_600_000

export interface RateLimits {
  /** Throws 429 when the client (if known) or the tenant has started too many conversations. */
  conversationStart(tenant: string, client: string | undefined): void
  /** Throws 429 when the conversation or its tenant has sent too many messages. */
  message(tenant: string, conversationId: string): void
  /** Throws 429 when the client (if known) has searched too often. */
  search(client: string | undefined): void
  /**
   * Throws 429 when the client (if known) or the tenant has opened too many tickets. An urgent ticket
   * (a crisis) is never refused, but it counts.
   */
  handoff(tenant: string, client: string | undefined, options?: { urgent?: boolean }): void
  /** Throws 429 when the conversation has rated too often. */
  feedback(conversationId: string): void
}

export function createRateLimits(
  config: Pick<
    Config,
    | 'LIMIT_CONVERSATIONS_PER_CLIENT'
    | 'LIMIT_CONVERSATIONS_PER_TENANT'
    | 'LIMIT_MESSAGES_PER_CONVERSATION'
    | 'LIMIT_MESSAGES_PER_TENANT'
    | 'LIMIT_SEARCHES_PER_CLIENT'
    | 'LIMIT_HANDOFFS_PER_CLIENT'
    | 'LIMIT_HANDOFFS_PER_TENANT'
    | 'LIMIT_FEEDBACK_PER_CONVERSATION'
  >,
  now: () => number,
): RateLimits {
  const startsPerClient = createTokenBuckets(config.LIMIT_CONVERSATIONS_PER_CLIENT, now)
  const startsPerTenant = createTokenBuckets(config.LIMIT_CONVERSATIONS_PER_TENANT, now)
  const messagesPerConversation = createTokenBuckets(config.LIMIT_MESSAGES_PER_CONVERSATION, now)
  const messagesPerTenant = createTokenBuckets(config.LIMIT_MESSAGES_PER_TENANT, now)
  const searchesPerClient = createTokenBuckets(config.LIMIT_SEARCHES_PER_CLIENT, now)
  const handoffsPerClient = createTokenBuckets(config.LIMIT_HANDOFFS_PER_CLIENT, now, HOUR_MS)
  const handoffsPerTenant = createTokenBuckets(config.LIMIT_HANDOFFS_PER_TENANT, now, HOUR_MS)
  const feedbackPerConversation = createTokenBuckets(config.LIMIT_FEEDBACK_PER_CONVERSATION, now)
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
    handoff(tenant, client, options = {}) {
      if (options.urgent) {
        // Takes what is left, so that a flood of crises leaves no budget for ordinary tickets.
        if (client !== undefined) handoffsPerClient.take(client)
        handoffsPerTenant.take(tenant)
        return
      }
      const wait =
        (client === undefined ? 0 : handoffsPerClient.take(client)) || handoffsPerTenant.take(tenant)
      if (wait > 0) throw rateLimited(wait, 'requests for a mentor')
    },
    feedback(conversationId) {
      const wait = feedbackPerConversation.take(conversationId)
      if (wait > 0) throw rateLimited(wait, 'ratings')
    },
  }
}
