// The Node server's webhook sender. It resolves the host itself, refuses the delivery unless every
// address the name resolves to is public, and then connects to exactly those checked addresses (the
// socket's lookup is pinned to them), so a name that answers differently the second time (DNS
// rebinding) cannot lead the request elsewhere. Redirects are not followed (node:https never does).

import type { LookupAddress } from 'node:dns'
import { lookup } from 'node:dns/promises'
import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import { isPublicAddress, parseIPv4, parseIPv6 } from './public-address.ts'
import { JSON_HEADERS, WebhookRefused, type WebhookSender } from './webhook-sender.ts'
import { type WebhookPolicy, webhookUrlProblem } from './webhook-url.ts'

/** Resolves a host name to all its addresses (tests pass their own, to play a rebinding DNS server). */
export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>

export const systemResolver: ResolveHost = (hostname) => lookup(hostname, { all: true, order: 'verbatim' })

/** A socket lookup that answers every question with the addresses already checked. */
export function pinnedLookup(addresses: readonly LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const [first] = addresses
    if (options.all) callback(null, [...addresses])
    else if (first) callback(null, first.address, first.family)
    else callback(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), '', 0)
  }
}

/** Rejects with the signal's reason (a TimeoutError) as soon as it is aborted. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason)
    signal.addEventListener('abort', abort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort))
  })
}

function post(url: URL, body: string, signal: AbortSignal, pinned?: LookupFunction): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const request = (url.protocol === 'http:' ? http : https).request(
      url,
      {
        method: 'POST',
        headers: { ...JSON_HEADERS, 'content-length': String(Buffer.byteLength(body)) },
        signal,
        // A fresh connection per delivery: no pooled socket outlives the check it was made under.
        agent: false,
        ...(pinned ? { lookup: pinned } : {}),
      },
      (res) => {
        // Only the status matters; the body is not read.
        resolve(res.statusCode ?? 0)
        res.destroy()
      },
    )
    request.on('error', (error) => reject(signal.aborted ? signal.reason : error))
    request.end(body)
  })
}

export function createNodeWebhookSender(options: {
  policy: WebhookPolicy
  resolve?: ResolveHost | undefined
}): WebhookSender {
  const resolve = options.resolve ?? systemResolver
  return async (raw, body, signal) => {
    if (webhookUrlProblem(raw, options.policy) !== undefined) throw new WebhookRefused('url_not_allowed')
    const url = new URL(raw)
    // The operator's own webhook on a private network (HANDOFF_WEBHOOK_ALLOW_PRIVATE) goes as it is.
    if (raw === options.policy.exemptUrl) return post(url, body, signal)
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
    const literal = parseIPv4(host) !== undefined ? 4 : parseIPv6(host) !== undefined ? 6 : undefined
    const addresses = literal ? [{ address: host, family: literal }] : await abortable(resolve(host), signal)
    if (addresses.length === 0 || !addresses.every((a) => isPublicAddress(a.address)))
      throw new WebhookRefused('address_not_allowed')
    return post(url, body, signal, pinnedLookup(addresses))
  }
}
