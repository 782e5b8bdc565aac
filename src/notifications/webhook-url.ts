// The rules for every outbound URL that settings or tenants can set (a tenant's webhook,
// HANDOFF_WEBHOOK_URL): https only, a public host named in the usual way, and, when the operator keeps
// an allow-list, a host on it. This file checks what the URL says; the Node sender also checks every
// address a name resolves to before it connects (node-webhook-sender.ts). Pure code, shared with the
// Worker, which cannot resolve names itself.
import { isPublicAddress, parseIPv4 } from './public-address.ts'

export type WebhookPolicy = {
  /** Host names webhooks may go to ("hooks.example.org", or "*.example.org" for its sub-domains). */
  allowedHosts?: readonly string[] | undefined
  /** The operator's own webhook when HANDOFF_WEBHOOK_ALLOW_PRIVATE is set: exempt from the rules. */
  exemptUrl?: string | undefined
}

/** The policy from the settings (structurally, so that config.ts can use this file). */
export function webhookPolicy(config: {
  WEBHOOK_ALLOWED_HOSTS?: readonly string[] | undefined
  HANDOFF_WEBHOOK_URL?: string | undefined
  HANDOFF_WEBHOOK_ALLOW_PRIVATE?: boolean | undefined
}): WebhookPolicy {
  return {
    allowedHosts: config.WEBHOOK_ALLOWED_HOSTS,
    exemptUrl: config.HANDOFF_WEBHOOK_ALLOW_PRIVATE ? config.HANDOFF_WEBHOOK_URL : undefined,
  }
}

// Names that never lead to a public service: this machine, cloud metadata services, and the
// special-use and private-use domains (RFC 6761, RFC 8375, ICANN's .internal).
const REFUSED_NAMES = new Set([
  'metadata.goog',
  'metadata.google.internal',
  'metadata.tencentyun.com',
  'metadata.platformequinix.com',
  'instance-data.ec2.internal',
])
const REFUSED_SUFFIXES = [
  'localhost',
  'local',
  'localdomain',
  'internal',
  'intranet',
  'lan',
  'home.arpa',
  'test',
  'invalid',
  'onion',
  'svc',
  'cluster.local',
]

/** What the URL's author wrote as its host, before URL parsing normalised it (for numeric forms). */
function writtenHost(raw: string): string {
  const authority =
    raw
      .trim()
      .replace(/^[a-z][a-z0-9+.-]*:\/*/i, '')
      .split(/[/?#\\]/, 1)[0] ?? ''
  const host = authority.slice(authority.lastIndexOf('@') + 1)
  return (
    host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '')
  ).toLowerCase()
}

const matchesAllowed = (hostname: string, entry: string) =>
  entry.startsWith('*.') ? hostname.endsWith(entry.slice(1)) : hostname === entry

/**
 * Why `raw` may not be used as a webhook under `policy`, or undefined when it may. The message is
 * for the person who set it (an admin, an operator), in the API's English.
 */
export function webhookUrlProblem(raw: string, policy: WebhookPolicy = {}): string | undefined {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return 'must be an https URL'
  }
  if (policy.exemptUrl !== undefined && raw === policy.exemptUrl)
    return url.protocol === 'https:' || url.protocol === 'http:' ? undefined : 'must be an http(s) URL'
  if (url.protocol !== 'https:') return 'must be an https URL'
  const hostname = url.hostname.replace(/\.$/, '')
  const ipv6 = hostname.startsWith('[')
  if (ipv6 || parseIPv4(hostname) !== undefined) {
    // URL parsing turns 2130706433, 0x7f.1 and 0177.0.0.1 into 127.0.0.1: such forms are refused
    // whatever address they stand for, as they only serve to get past checks like this one.
    if (!ipv6 && writtenHost(raw).replace(/\.$/, '') !== hostname)
      return 'must write an IPv4 address as four decimal numbers (no decimal, hex or octal forms)'
    if (!isPublicAddress(ipv6 ? hostname.slice(1, -1) : hostname))
      return 'must name a public host, not a loopback, private, link-local or other internal address'
  } else {
    if (!hostname.includes('.') || REFUSED_NAMES.has(hostname))
      return 'must name a public host, not this machine, an internal name or a cloud metadata service'
    if (REFUSED_SUFFIXES.some((suffix) => hostname === suffix || hostname.endsWith(`.${suffix}`)))
      return 'must name a public host, not this machine, an internal name or a cloud metadata service'
  }
  if (policy.allowedHosts && !policy.allowedHosts.some((entry) => matchesAllowed(hostname, entry)))
    return `must be on a host the operator allows for webhooks (${policy.allowedHosts.join(', ')})`
  return undefined
}

/** One entry of WEBHOOK_ALLOWED_HOSTS in the form the check compares, or undefined when malformed. */
export function allowedHostEntry(entry: string): string | undefined {
  const wildcard = entry.startsWith('*.')
  const name = wildcard ? entry.slice(2) : entry
  if (!/^[^\s/?#@:*[\]]+$/.test(name)) return undefined
  try {
    const hostname = new URL(`https://${name}/`).hostname.replace(/\.$/, '')
    return wildcard ? `*.${hostname}` : hostname
  } catch {
    return undefined
  }
}
