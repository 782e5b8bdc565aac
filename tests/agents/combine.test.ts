// Combining the router stages: crisis rules always win; a handoff from either stage wins unless the
// other stage is confident that the message is a general design question.
import { describe, expect, it } from 'vitest'
import { combineRoutes } from '../../src/agents/router/combine.ts'
import type { RuleDecision } from '../../src/agents/router/rules-router.ts'

const rules = (route: RuleDecision['route'], extra: Partial<RuleDecision> = {}): RuleDecision => ({
  route,
  reason: `rules say ${route}`,
  rules: [],
  confidence: route === 'answer' ? 'default' : 'strong',
  designQuestion: false,
  ...extra,
})
const model = (route: RuleDecision['route'], confidence: number) => ({
  route,
  confidence,
  reason: `model says ${route}`,
})

describe('combineRoutes', () => {
  it.each([
    ['crisis rules beat a confident model', rules('crisis'), model('answer', 0.99), 'crisis'],
    ['a model crisis beats answer rules', rules('answer'), model('crisis', 0.6), 'crisis'],
    [
      'both hand over: the rules class stays',
      rules('works_council'),
      model('workforce', 0.9),
      'works_council',
    ],
    ['a rules handoff stands against an unsure model', rules('workforce'), model('answer', 0.7), 'workforce'],
    ['a confident model overrules a rules handoff', rules('works_council'), model('answer', 0.9), 'answer'],
    [
      'a model handoff stands when the rules saw nothing',
      rules('answer'),
      model('workforce', 0.6),
      'workforce',
    ],
    [
      'rules that see a general design question overrule a model handoff',
      rules('answer', { designQuestion: true }),
      model('works_council', 0.6),
      'answer',
    ],
    ['no model: the rules decide', rules('legal_individual'), undefined, 'legal_individual'],
  ] as const)('%s', (_label, ruleDecision, modelDecision, expected) => {
    expect(combineRoutes(ruleDecision, modelDecision).route).toBe(expected)
  })
})
