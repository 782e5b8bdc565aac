// Token buckets and the model gate as plain functions, with an injected clock: no test sleeps.
import { describe, expect, it } from 'vitest'
import { createModelGate } from '../../src/agents/model-gate.ts'
import { createTokenBuckets } from '../../src/server/limits/token-bucket.ts'
import { createTurnTracker } from '../../src/server/turn-tracker.ts'

describe('token buckets', () => {
  it('allows a burst of the per-minute rate, then says when the next token is free', () => {
    let now = 0
    const buckets = createTokenBuckets(6, () => now)
    for (let i = 0; i < 6; i++) expect(buckets.take('a')).toBe(0)
    // Six a minute: one token every 10 s.
    expect(buckets.take('a')).toBe(10)
    now += 4_000
    expect(buckets.take('a')).toBe(6)
    expect(buckets.take('b')).toBe(0)
    now += 6_000
    expect(buckets.take('a')).toBe(0)
    expect(buckets.take('a')).toBe(10)
  })

  it('never refuses when the limit is 0 (off)', () => {
    const buckets = createTokenBuckets(0, () => 0)
    for (let i = 0; i < 1000; i++) expect(buckets.take('a')).toBe(0)
    expect(buckets.size).toBe(0)
  })

  it('stays bounded in memory under a flood of distinct clients', () => {
    let now = 0
    const buckets = createTokenBuckets(10, () => now)
    for (let i = 0; i < 120_000; i++) {
      now += 1
      buckets.take(`client-${i}`)
    }
    expect(buckets.size).toBeLessThanOrEqual(50_000)
  })
})

describe('model gate', () => {
  const gate = (concurrency: number, queueLimit: number, queueTimeoutMs = 60_000) =>
    createModelGate({ concurrency, queueLimit, queueTimeoutMs })

  it('admits up to the concurrency, queues up to the limit and refuses beyond it', async () => {
    const g = gate(2, 1)
    const a = g.tryEnter()
    const b = g.tryEnter()
    const c = g.tryEnter()
    expect(g.tryEnter()).toBeUndefined()
    expect(await a?.acquired).toBe(true)
    expect(await b?.acquired).toBe(true)
    expect(g).toMatchObject({ active: 2, waiting: 1 })
    a?.release()
    a?.release()
    expect(await c?.acquired).toBe(true)
    expect(g).toMatchObject({ active: 2, waiting: 0 })
    b?.release()
    c?.release()
    expect(g).toMatchObject({ active: 0, waiting: 0 })
  })

  it('gives up a wait after the timeout or an abort, and keeps counting right', async () => {
    const g = gate(1, 2, 20)
    const held = g.tryEnter()
    const timedOut = g.tryEnter()
    const controller = new AbortController()
    const aborted = g.tryEnter(controller.signal)
    controller.abort()
    expect(await aborted?.acquired).toBe(false)
    expect(await timedOut?.acquired).toBe(false)
    expect(g).toMatchObject({ active: 1, waiting: 0 })
    timedOut?.release()
    held?.release()
    expect(g).toMatchObject({ active: 0, waiting: 0 })
  })

  it('hands a released slot to the next waiter, and a waiter that leaves frees its place', async () => {
    const g = gate(1, 2)
    const first = g.tryEnter()
    const leaving = g.tryEnter()
    const next = g.tryEnter()
    leaving?.release()
    expect(await leaving?.acquired).toBe(false)
    first?.release()
    expect(await next?.acquired).toBe(true)
    expect(g).toMatchObject({ active: 1, waiting: 0 })
  })
})

describe('turn tracker', () => {
  it('drains when the last turn ends, and interrupts turns on request', async () => {
    const turns = createTurnTracker()
    expect(await turns.drain(10)).toBe(true)
    const a = turns.begin()
    const b = turns.begin()
    expect(await turns.drain(10)).toBe(false)
    turns.interrupt()
    expect(a.signal.aborted && b.signal.aborted).toBe(true)
    const drained = turns.drain(1000)
    a.end()
    a.end()
    b.end()
    expect(await drained).toBe(true)
    expect(turns.inFlight).toBe(0)
  })
})
