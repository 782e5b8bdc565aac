// Who a request comes from, for per-client limits: the address in a header a trusted proxy sets
// (CLIENT_IP_HEADER), else the socket's peer as the host reports it (Node: getConnInfo).
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
    if (address) return address
  }
  return peer?.(c)
}
