// The key per-client limits count under: an IPv6 client is its /64, IPv4 stays itself in every notation.
import { describe, expect, it } from 'vitest'
import { clientKey } from '../../src/server/limits/client-address.ts'

describe('client keys', () => {
  it('counts every address of an IPv6 /64 as one client, however it is written', () => {
    const keys = [
      '2001:db8:1:2::1',
      '2001:0db8:0001:0002:ffff:ffff:ffff:ffff',
      '2001:DB8:1:2:abcd::',
      '[2001:db8:1:2::99]:51234',
      '2001:db8:1:2::7%eth0',
      '2001:db8:1:2:0:0:1.2.3.4',
    ].map(clientKey)
    expect(new Set(keys)).toEqual(new Set(['2001:db8:1:2::/64']))
    expect(clientKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64')
    expect(clientKey('::1')).toBe('0:0:0:0::/64')
  })

  it('keeps IPv4 as it is, also mapped into IPv6 or with a port', () => {
    expect(clientKey('198.51.100.7')).toBe('198.51.100.7')
    expect(clientKey('::ffff:198.51.100.7')).toBe('198.51.100.7')
    expect(clientKey('::ffff:c633:6407')).toBe('198.51.100.7')
    expect(clientKey('198.51.100.7:4711')).toBe('198.51.100.7')
    expect(clientKey(' 198.51.100.8 ')).toBe('198.51.100.8')
  })

  it('keeps what is not an address as given, shortened', () => {
    expect(clientKey('unknown')).toBe('unknown')
    expect(clientKey('1:2:3')).toBe('1:2:3')
    expect(clientKey('2001:db8::1::2')).toBe('2001:db8::1::2')
    expect(clientKey('x'.repeat(500))).toHaveLength(64)
  })
})
