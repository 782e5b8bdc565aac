// The eval gate and the comparison with the baseline.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { applyGate, compareWithBaseline, readGate } from '../../evals/lib/gate.ts'

describe('eval gate', () => {
  it('passes values inside their bounds and fails the others, also a metric that was not measured', () => {
    const gate = {
      checks: [
        { metric: 'a.recall', min: 0.98, why: 'handoffs' },
        { metric: 'a.leaks', max: 0, why: 'privacy' },
        { metric: 'a.absent', min: 1, why: 'measured' },
      ],
    }
    const results = applyGate(gate, { 'a.recall': 0.97, 'a.leaks': 0 })
    expect(results.map((r) => [r.metric, r.passed])).toEqual([
      ['a.recall', false],
      ['a.leaks', true],
      ['a.absent', false],
    ])
    expect(results[0]?.bound).toBe('>= 0.98')
  })

  it('reads the committed gate, which holds the thresholds the suite promises', async () => {
    const gate = await readGate('evals/gate.json')
    const bound = (metric: string) => gate.checks.find((c) => c.metric === metric)
    expect(bound('routing.dev.rules.handoffRecall')?.min).toBe(0.98)
    expect(bound('routing.test.rulesModel.handoffRecall')?.min).toBe(0.95)
    expect(bound('routing.test.rulesModel.crisisRecall')?.min).toBe(1)
    expect(bound('routing.test.rulesModel.overHandoffRate')?.max).toBe(0.05)
    expect(bound('routing.test.rules.handoffRecall')?.min).toBe(0.95)
    expect(bound('routing.test.rules.crisisRecall')?.min).toBe(1)
    expect(bound('routing.test.rules.humanRecall')?.min).toBe(1)
    expect(bound('routing.test.rules.overHandoffRate')?.max).toBe(0.05)
    expect(bound('routing.test.rules.offerRate')?.max).toBe(0.15)
    expect(bound('routing.test.rules.outOfScopeRecall')?.min).toBe(0.8)
    expect(bound('questions.test.firstCitationGold')?.target).toBe(0.8)
    expect(bound('questions.test.wrongAnswerRate')?.target).toBe(0.1)
    expect(bound('answers.generated.citationValidity')?.min).toBe(1)
    expect(bound('retrieval.hybrid.hit5')?.min).toBe(0.9)
    expect(bound('answers.generated.languageMatch')?.min).toBe(1)
  })

  it('passes a value above its floor and lists a target it does not reach yet', () => {
    const gate = { checks: [{ metric: 'm', min: 0.9, target: 0.95, why: 'aim' }] }
    expect(applyGate(gate, { m: 0.92 })[0]).toMatchObject({
      passed: true,
      target: { bound: '>= 0.95', met: false },
    })
    expect(applyGate(gate, { m: 0.96 })[0]).toMatchObject({ passed: true, target: { met: true } })
    expect(applyGate(gate, { m: 0.85 })[0]).toMatchObject({ passed: false })
  })

  it('rejects a gate file with a check that has no bound', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dm-gate-'))
    try {
      await writeFile(join(dir, 'gate.json'), JSON.stringify({ checks: [{ metric: 'x', why: 'y' }] }))
      await expect(readGate(join(dir, 'gate.json'))).rejects.toThrow(/needs min or max/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('flags a worse value as a regression, in the metric’s own direction, and ignores latencies', () => {
    const changes = compareWithBaseline(
      {
        'x.recall': 0.99,
        'x.overHandoffRate': 0.05,
        'x.offerRate': 0.1,
        'x.wrongAnswerRate': 0.5,
        'x.errors': 0,
        'x.latencyMs.p95': 10,
        'x.same': 1,
      },
      {
        'x.recall': 1,
        'x.overHandoffRate': 0.08,
        'x.offerRate': 0.2,
        'x.wrongAnswerRate': 0.4,
        'x.errors': 0,
        'x.latencyMs.p95': 90,
        'x.same': 1,
      },
    )
    expect(changes.map((c) => [c.metric, c.regression])).toEqual([
      ['x.offerRate', true],
      ['x.overHandoffRate', true],
      ['x.recall', false],
      ['x.wrongAnswerRate', false],
    ])
  })
})
