// Whether an IP address is a public, globally routed unicast address: the only kind a webhook may be
// delivered to. Pure code (no node:net), so that the Node server and the Worker share it. Every check
// is a fixed number of steps on at most 39 characters.

type Range = readonly [prefix: bigint, bits: number]

const v4 = (a: number, b: number, c: number, d: number): bigint =>
  (BigInt(a) << 24n) | (BigInt(b) << 16n) | (BigInt(c) << 8n) | BigInt(d)

// IPv4 ranges that are not globally routed unicast (IANA IPv4 Special-Purpose Address Registry).
const IPV4_REFUSED: readonly Range[] = [
  [v4(0, 0, 0, 0), 8], // "this network", 0.0.0.0 included
  [v4(10, 0, 0, 0), 8], // private
  [v4(100, 64, 0, 0), 10], // carrier-grade NAT (Alibaba's metadata service is 100.100.100.200)
  [v4(127, 0, 0, 0), 8], // loopback
  [v4(169, 254, 0, 0), 16], // link-local, the cloud metadata services (169.254.169.254)
  [v4(172, 16, 0, 0), 12], // private
  [v4(192, 0, 0, 0), 24], // IETF protocol assignments
  [v4(192, 0, 2, 0), 24], // documentation
  [v4(192, 88, 99, 0), 24], // 6to4 relay anycast
  [v4(192, 168, 0, 0), 16], // private
  [v4(198, 18, 0, 0), 15], // benchmarking
  [v4(198, 51, 100, 0), 24], // documentation
  [v4(203, 0, 113, 0), 24], // documentation
  [v4(224, 0, 0, 0), 4], // multicast
  [v4(240, 0, 0, 0), 4], // reserved, 255.255.255.255 (broadcast) included
]

const v6 = (text: string): bigint => parseIPv6(text) ?? 0n

// Global unicast is 2000::/3; everything outside it (loopback, unspecified, IPv4-mapped and
// -compatible, NAT64, unique-local fc00::/7, link-local fe80::/10, multicast) is refused wholesale.
const IPV6_GLOBAL: Range = [v6('2000::'), 3]
// Inside 2000::/3, what is not an ordinary public host or embeds an IPv4 address of any kind.
const IPV6_REFUSED: readonly Range[] = [
  [v6('2001::'), 23], // IETF protocol assignments: Teredo (embeds IPv4), ORCHID, benchmarking
  [v6('2001:db8::'), 32], // documentation
  [v6('2002::'), 16], // 6to4 (embeds IPv4)
  [v6('3fff::'), 20], // documentation
]

const inRange = (value: bigint, width: number, [prefix, bits]: Range) =>
  value >> BigInt(width - bits) === prefix >> BigInt(width - bits)

/** A dotted-quad IPv4 address ("93.184.215.14") as a number; anything else (other forms too) undefined. */
export function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  let value = 0n
  for (const part of parts) {
    // Decimal without leading zeros: "0177" (octal to some parsers) and "0x7f" are not this form.
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined
    const n = Number(part)
    if (n > 255) return undefined
    value = (value << 8n) | BigInt(n)
  }
  return value
}

/** An IPv6 address (with or without brackets, a zone id, an IPv4 tail) as a 128-bit number. */
export function parseIPv6(text: string): bigint | undefined {
  let s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text
  s = s.replace(/%.*$/, '')
  if (!s.includes(':') || s.length > 45) return undefined
  const lastColon = s.lastIndexOf(':')
  if (s.slice(lastColon + 1).includes('.')) {
    // An IPv4 tail ("::ffff:1.2.3.4") is the last two hextets written another way.
    const ipv4 = parseIPv4(s.slice(lastColon + 1))
    if (ipv4 === undefined) return undefined
    s = `${s.slice(0, lastColon + 1)}${(ipv4 >> 16n).toString(16)}:${(ipv4 & 0xffffn).toString(16)}`
  }
  const halves = s.split('::')
  if (halves.length > 2) return undefined
  const group = (h: string) => (h === '' ? [] : h.split(':'))
  const head = group(halves[0] ?? '')
  const rest = halves.length === 2 ? group(halves[1] ?? '') : []
  if ([...head, ...rest].some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined
  const given = head.length + rest.length
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined
  const hextets = [
    ...head.map((g) => Number.parseInt(g, 16)),
    ...Array<number>(8 - given).fill(0),
    ...rest.map((g) => Number.parseInt(g, 16)),
  ]
  return hextets.reduce((value, h) => (value << 16n) | BigInt(h), 0n)
}

/** Whether `address` is an IP address (either family) in canonical text. */
export const isIpAddress = (address: string) =>
  parseIPv4(address) !== undefined || parseIPv6(address) !== undefined

/**
 * Whether a webhook may be delivered to this address: a public unicast address, IPv4 in dotted
 * decimal or IPv6. Anything else (a private, loopback, link-local, CGNAT, multicast or reserved
 * address, an IPv6 address that embeds IPv4, text that is not an address) is refused.
 */
export function isPublicAddress(address: string): boolean {
  const ipv4 = parseIPv4(address)
  if (ipv4 !== undefined) return !IPV4_REFUSED.some((range) => inRange(ipv4, 32, range))
  const ipv6 = parseIPv6(address)
  if (ipv6 === undefined) return false
  return inRange(ipv6, 128, IPV6_GLOBAL) && !IPV6_REFUSED.some((range) => inRange(ipv6, 128, range))
}
