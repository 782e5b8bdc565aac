// In-memory token buckets, one per key: `capacity` requests per period (a minute unless said otherwise),
// with bursts up to the same number. Each app instance counts for itself (see the README's Operations
// section).

export interface TokenBuckets {
  /** Takes one token for `key`: 0 when allowed, else the seconds until a token is free again. */
  take(key: string): number
  /** How many keys are tracked (for tests of the memory bound). */
  readonly size: number
}

// Buckets that are full again hold no information; they are swept once this many keys are tracked,
// so that a flood of distinct clients cannot grow the map without bound.
const SWEEP_AT = 50_000

export function createTokenBuckets(capacity: number, now: () => number, periodMs = 60_000): TokenBuckets {
  const perMs = capacity / periodMs
  const buckets = new Map<string, { tokens: number; at: number }>()

  const level = (bucket: { tokens: number; at: number }, t: number) =>
    Math.min(capacity, bucket.tokens + (t - bucket.at) * perMs)

  function sweep(t: number) {
    for (const [key, bucket] of buckets) if (level(bucket, t) >= capacity) buckets.delete(key)
    // Still too many active keys: forget the oldest (they get a fresh bucket; fail open, not closed).
    for (const key of buckets.keys()) {
      if (buckets.size < SWEEP_AT) break
      buckets.delete(key)
    }
  }

  return {
    take(key) {
      if (capacity <= 0) return 0
      const t = now()
      const bucket = buckets.get(key)
      const tokens = bucket ? level(bucket, t) : capacity
      if (tokens < 1) return Math.max(1, Math.ceil((1 - tokens) / perMs / 1000))
      if (!bucket && buckets.size >= SWEEP_AT) sweep(t)
      buckets.set(key, { tokens: tokens - 1, at: t })
      return 0
    },
    get size() {
      return buckets.size
    },
  }
}
