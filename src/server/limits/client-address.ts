// Who a request comes from, for per-client limits: the address in a header a trusted proxy sets
// (CLIENT_IP_HEADER), else the socket's peer as the host reports it (Node: getConnInfo). An IPv6
// client is its /64: one household or office gets a whole /64 and can pick any address in it, so
// counting single addresses would give it 2^64 budgets.
import type { Context } from 'hono'

/** The host's view of the peer address; absent where the host has none (tests, some runtimes). */
export type PeerAddress = (c: Context) => string | undefined

export function clientAddress(
  c: Context,
  header: string | undefined,
  peer: PeerAddress | undefined,
): string | undefined {
  if (header) {
    const value = c.req.header(header)
    // x-forwarded-for lists every hop; the last entry is the one the trusted proxy added itself.
    const address = value?.split(',').at(-1)?.trim()
    if (address) return clientKey(address)
  }
  const address = peer?.(c)
  return address ? clientKey(address) : undefined
}

// Longer than any address with a port: what a proxy would never send is cut, not kept whole.
const MAX_KEY = 64

/**
 * The key a client's limits are counted under: an IPv4 address as it is (also when written as an
 * IPv4-mapped IPv6 address or with a port), an IPv6 address as its /64 prefix ("2001:db8:0:1::/64").
 * Anything else is kept as given, shortened.
 */
export function clientKey(address: string): string {
  let value = address.trim()
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value)
  if (bracketed?.[1]) value = bracketed[1]
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(value)
  if (v4WithPort?.[1]) return v4WithPort[1]
  if (!value.includes(':')) return value.slice(0, MAX_KEY)
  const groups = ipv6Groups(value.replace(/%.*$/, ''))
  if (!groups) return value.slice(0, MAX_KEY)
  // ::ffff:a.b.c.d is an IPv4 client.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi = 0, lo = 0] = groups.slice(6)
    return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.')
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`
}

/** The eight 16-bit groups of an IPv6 address (with "::" and a trailing IPv4 part), or undefined. */
function ipv6Groups(text: string): number[] | undefined {
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const parse = (part: string): number[] | undefined => {
    if (part === '') return []
    const out: number[] = []
    const pieces = part.split(':')
    for (const [i, piece] of pieces.entries()) {
      if (i === pieces.length - 1 && piece.includes('.')) {
        const octets = piece.split('.').map(Number)
        if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255))
          return undefined
        const [a = 0, b = 0, c = 0, d = 0] = octets
        out.push((a << 8) | b, (c << 8) | d)
      } else if (/^[0-9a-f]{1,4}$/i.test(piece)) out.push(Number.parseInt(piece, 16))
      else return undefined
    }
    return out
  }
  const head = parse(halves[0] ?? '')
  const tail = halves.length === 2 ? parse(halves[1] ?? '') : []
  if (!head || !tail) return undefined
  const missing = 8 - head.length - tail.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined
  return [...head, ...new Array<number>(missing).fill(0), ...tail]
}
