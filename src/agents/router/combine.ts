// Combines the two router stages, biased to safety: crisis rules always win, and a handoff from either
// stage wins unless the other stage is confident that the message is a general design question.
import type { ModelDecision } from './model-router.ts'
import { isHandoff, type RouteClass } from './route-class.ts'
import type { RuleDecision } from './rules-router.ts'

export interface RouteDecision {
  route: RouteClass
  stage: 'rules' | 'model' | 'rules+model'
  reason: string
  rules: string[]
}

// How sure the model must be to overrule a handoff from the rules.
const MODEL_CONFIDENT = 0.85

export function combineRoutes(rules: RuleDecision, model: ModelDecision | undefined): RouteDecision {
  const fromRules = { route: rules.route, stage: 'rules' as const, reason: rules.reason, rules: rules.rules }
  if (!model || rules.route === 'crisis') return fromRules
  const fromModel = { route: model.route, stage: 'model' as const, reason: model.reason, rules: rules.rules }
  if (model.route === 'crisis') return fromModel

  const rulesHand = isHandoff(rules.route)
  const modelHand = isHandoff(model.route)
  if (rulesHand && modelHand) return { ...fromRules, stage: 'rules+model' }
  if (rulesHand) {
    const confidentDesign = model.route === 'answer' && model.confidence >= MODEL_CONFIDENT
    return confidentDesign
      ? { ...fromModel, reason: `${model.reason} (overrules: ${rules.reason})` }
      : fromRules
  }
  if (modelHand) return rules.designQuestion ? fromRules : fromModel
  // Neither hands over: the model tells an answer from an off-topic message better than the lexicon.
  return model.confidence >= 0.7 ? fromModel : fromRules
}
