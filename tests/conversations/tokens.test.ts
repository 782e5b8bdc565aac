// Conversation tokens: 256 random bits each, stored only as a hash, compared by hash in constant time.
import { describe, expect, it } from 'vitest'
import { hashToken, newToken, tokenMatches } from '../../src/conversations/tokens.ts'

describe('conversation tokens', () => {
  it('are 32 random bytes in base64url, never repeated, and hashed with SHA-256', () => {
    const tokens = Array.from({ length: 2000 }, () => newToken())
    for (const { token, hash } of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
      expect(Buffer.from(token, 'base64url')).toHaveLength(32)
      expect(hash).toMatch(/^[0-9a-f]{64}$/)
      expect(hash).toBe(hashToken(token))
    }
    expect(new Set(tokens.map((t) => t.token)).size).toBe(tokens.length)
    // Every symbol of the alphabet turns up, at roughly its share: no bias a guesser could use.
    const counts = new Map<string, number>()
    for (const { token } of tokens)
      for (const ch of token.slice(0, 42)) counts.set(ch, (counts.get(ch) ?? 0) + 1)
    expect(counts.size).toBe(64)
    const expected = (tokens.length * 42) / 64
    for (const n of counts.values()) expect(Math.abs(n - expected) / expected).toBeLessThan(0.25)
  })

  it('match only their own hash, whatever the length of what is compared', () => {
    const { token, hash } = newToken()
    expect(tokenMatches(token, hash)).toBe(true)
    expect(tokenMatches(newToken().token, hash)).toBe(false)
    expect(tokenMatches(token.slice(0, -1), hash)).toBe(false)
    expect(tokenMatches(token, hash.slice(0, 32))).toBe(false)
    expect(tokenMatches('', hash)).toBe(false)
  })
})
