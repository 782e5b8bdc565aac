// The notifier port: posts an announcement to a webhook and says what the receiver answered. Two
// implementations: node-webhook-sender.ts (checks every address a name resolves to and connects to the
// checked one) and, for Workers, the fetch sender below, which can only check what the URL says.
// Neither follows a redirect: a 3xx is an answer like any other, and counts as a failed delivery.
import { type WebhookPolicy, webhookUrlProblem } from './webhook-url.ts'

/** Posts `body` (JSON) to `url`; resolves with the HTTP status, rejects when nothing was answered. */
export type WebhookSender = (url: string, body: string, signal: AbortSignal) => Promise<number>

/** The rules refused a delivery before anything was sent. */
export class WebhookRefused extends Error {
  override name = 'WebhookRefused'
  /** What the outbox records: the URL itself, or an address its host resolved to, is not allowed. */
  readonly problem: 'url_not_allowed' | 'address_not_allowed'
  constructor(problem: WebhookRefused['problem']) {
    super(`webhook delivery refused: ${problem}`)
    this.problem = problem
  }
}

export const JSON_HEADERS = { 'content-type': 'application/json' } as const

/**
 * The sender for hosts whose fetch cannot be told how to resolve names (Cloudflare Workers): it checks
 * the URL (scheme, host as written, allow-list) and never follows redirects, but a name that resolves
 * to an internal address is not caught here. WEBHOOK_ALLOWED_HOSTS closes that gap (README).
 */
export function createFetchWebhookSender(options: {
  policy: WebhookPolicy
  fetch?: typeof fetch
}): WebhookSender {
  const send = options.fetch ?? fetch
  return async (url, body, signal) => {
    if (webhookUrlProblem(url, options.policy) !== undefined) throw new WebhookRefused('url_not_allowed')
    const res = await send(url, { method: 'POST', headers: JSON_HEADERS, body, signal, redirect: 'manual' })
    await res.body?.cancel()
    return res.status
  }
}
