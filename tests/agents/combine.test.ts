// Combining the offline decision with the model's, biased to safety: a crisis or a request for a person
// from either side wins; a rule's handoff stands; a classifier's handoff gives way only to a sure model,
// and then the user still gets the offer; an offline offer survives the model.
import { describe, expect, it } from 'vitest'
import { combineRoutes } from '../../src/agents/router/combine.ts'
import type { RouteDecision } from '../../src/agents/router/decide.ts'
import type { RouteClass } from '../../src/agents/router/route-class.ts'

const offline = (route: RouteClass, extra: Partial<RouteDecision> = {}): RouteDecision => ({
  route,
  offer: false,
  stage: 'rules',
  reason: { de: `Regeln: ${route}`, en: `rules say ${route}` },
  rules: [],
  handoffProbability: route === 'answer' ? 0.05 : 0.9,
  ...extra,
})
const model = (route: RouteClass, confidence: number) => ({
  route,
  confidence,
  reason: `model says ${route}`,
})

describe('combineRoutes', () => {
  it.each([
    ['an offline crisis beats a confident model', offline('crisis'), model('answer', 0.99), 'crisis', false],
    [
      'a request for a person beats a confident model',
      offline('human'),
      model('answer', 0.99),
      'human',
      false,
    ],
    ['a model crisis beats an offline answer', offline('answer'), model('crisis', 0.6), 'crisis', false],
    ['a model request for a person wins', offline('answer'), model('human', 0.6), 'human', false],
    [
      'both hand over: the offline class stays',
      offline('works_council'),
      model('workforce', 0.9),
      'works_council',
      false,
    ],
    [
      'a rule handoff stands against a sure model',
      offline('workforce'),
      model('answer', 0.95),
      'workforce',
      false,
    ],
    [
      'a sure model overrules a classifier handoff, and the offer stays',
      offline('works_council', { stage: 'classifier' }),
      model('answer', 0.9),
      'answer',
      true,
    ],
    [
      'an unsure model does not overrule a classifier handoff',
      offline('workforce', { stage: 'classifier' }),
      model('answer', 0.65),
      'workforce',
      false,
    ],
    [
      'a sure model handoff stands when offline answered',
      offline('answer'),
      model('workforce', 0.8),
      'workforce',
      false,
    ],
    [
      'an unsure model handoff against an offline answer becomes an offer',
      offline('answer'),
      model('works_council', 0.6),
      'answer',
      true,
    ],
    [
      'an unsure model handoff against an offline offer hands over',
      offline('answer', { offer: true, stage: 'classifier' }),
      model('works_council', 0.6),
      'works_council',
      false,
    ],
    [
      'a sure model answer keeps the offline offer',
      offline('answer', { offer: true, stage: 'classifier' }),
      model('answer', 0.9),
      'answer',
      true,
    ],
    [
      'no model: the offline decision stands',
      offline('legal_individual'),
      undefined,
      'legal_individual',
      false,
    ],
  ] as const)('%s', (_label, decision, modelDecision, route, offer) => {
    const combined = combineRoutes(decision, modelDecision)
    expect(combined.route).toBe(route)
    expect(combined.offer).toBe(offer)
  })

  it('gives the model’s reason in German and English', () => {
    const combined = combineRoutes(offline('answer'), model('workforce', 0.9))
    expect(combined.reason.de).toMatch(/^Eine Personalangelegenheit \(Sprachmodell: model says workforce\)/)
    expect(combined.reason.en).toMatch(/^A personnel matter \(model: model says workforce\)/)
  })
})
