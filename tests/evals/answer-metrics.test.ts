// Answer metrics and their failure reasons, on replies built by hand: each check can fail.
import { describe, expect, it } from 'vitest'
import type { TurnResult } from '../../evals/lib/answer-eval.ts'
import { replyFailures, scoreAnswers } from '../../evals/lib/answer-metrics.ts'
import { replyExpectation } from '../../evals/lib/datasets.ts'

const corpus = new Set(['pilot', 'beteiligung'])

function turn(overrides: {
  expect?: Record<string, unknown>
  reply?: Partial<TurnResult['reply']>
  lang?: 'de' | 'en'
  modelText?: string
  sourcesGiven?: number
  secrets?: string[]
  modelRequests?: string[]
}): TurnResult {
  return {
    suite: 'answers',
    conversationId: 'c',
    id: 'x',
    lang: overrides.lang ?? 'de',
    text: 'Wie lange sollte ein Pilotprojekt laufen?',
    expect: replyExpectation.parse(overrides.expect ?? {}),
    secrets: overrides.secrets ?? [],
    modelRequests: overrides.modelRequests ?? [],
    modelText: overrides.modelText,
    sourcesGiven: overrides.sourcesGiven ?? 4,
    timings: { route: 5, firstToken: 8, done: 20 },
    reply: {
      status: 200,
      route: 'answer',
      mode: 'generated',
      text: 'Ein Pilot sollte drei Monate laufen und die Beschäftigten einbeziehen [1].',
      citations: [{ n: 1, documentId: 'pilot', title: 'Pilot', heading: 'Pilot' }],
      flags: [],
      handoff: false,
      ...overrides.reply,
    },
  }
}

describe('answer metrics', () => {
  it('passes a reply that meets its expectation', () => {
    const good = turn({
      expect: { cites: ['pilot'], facts: ['drei Monate|3 Monate'], forbidden: ['RouteMax'] },
    })
    expect(replyFailures(good, corpus)).toEqual([])
    const scores = scoreAnswers([good], corpus)
    expect(scores).toMatchObject({
      passRate: 1,
      citationValidity: 1,
      expectedCitationRecall: 1,
      factsPresent: 1,
      forbiddenAbsent: 1,
      languageMatch: 1,
      routeAccuracy: 1,
    })
  })

  it('names every way a reply falls short', () => {
    const bad = turn({
      expect: {
        route: 'answer',
        cites: ['beteiligung'],
        facts: ['Betriebsvereinbarung'],
        forbidden: ['drei Monate'],
      },
      reply: {
        text: 'A pilot should run for three months [1] [5]. Ein Pilot dauert drei Monate.',
        citations: [{ n: 1, documentId: 'pilot', title: 'Pilot', heading: 'Pilot' }],
      },
      lang: 'de',
      secrets: ['0171 2345678'],
      modelRequests: ['{"messages":"ruf mich an: 0171 2345678"}'],
    })
    const failures = replyFailures(bad, corpus)
    expect(failures).toEqual(
      expect.arrayContaining([
        'citation [5] names no source',
        'cites none of beteiligung',
        'fact missing: /Betriebsvereinbarung/',
        'forbidden present: /drei Monate/',
        'reply in en, asked in de',
        'personal data sent to the model: "0171 2345678"',
      ]),
    )
    const scores = scoreAnswers([bad], corpus)
    expect(scores.citationValidity).toBe(0.5)
    expect(scores.personalDataSentToModel).toBe(1)
    expect(scores.passRate).toBe(0)
  })

  it('counts a handoff as recalled and a refused works-council question as a correct refusal', () => {
    const handed = turn({
      expect: { route: 'works_council' },
      reply: {
        route: 'works_council',
        mode: 'handoff',
        handoff: true,
        citations: [],
        text: 'Ich habe Ihre Frage weitergegeben.',
      },
    })
    const missed = turn({ expect: { route: 'workforce' } })
    const scores = scoreAnswers([handed, missed], corpus)
    expect(scores.handoffRecall).toBe(0.5)
    expect(scores.correctRefusals).toBe(0.5)
    expect(replyFailures(missed, corpus)).toContain('route answer, expected workforce')
  })

  it('measures the model’s own citations before the pipeline removed the made-up ones', () => {
    const generated = turn({ modelText: 'Drei Monate [1], so die Quelle [7].', sourcesGiven: 4 })
    const withheld = turn({
      modelText: 'Three months [2].',
      reply: { mode: 'extractive', flags: ['model_answer_rejected', 'wrong_language'] },
    })
    const scores = scoreAnswers([generated, withheld], corpus)
    expect(scores.modelCitationValidity).toBeCloseTo(2 / 3)
    expect(scores.withheldRate).toBe(0.5)
    expect(scoreAnswers([turn({})], corpus).modelCitationValidity).toBeNull()
  })

  it('reports a turn without a reply as an error, not as a pass', () => {
    const failed = turn({ reply: { status: 503, route: null, mode: null, text: '' } })
    expect(replyFailures(failed, corpus)).toEqual(['no reply (HTTP 503)'])
    expect(scoreAnswers([failed], corpus)).toMatchObject({ errors: 1, passRate: 0 })
  })
})
