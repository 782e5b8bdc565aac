// Combines the offline decision (rules and classifier) with the model's, biased to safety: a crisis or
// a request for a person from either side wins; a handoff from either side wins unless the other is
// confident that the message is a general question; disagreement on the border becomes an offer.
import type { RouteDecision } from './decide.ts'
import type { ModelDecision } from './model-router.ts'
import { modelReason } from './reasons.ts'
import { isHandoff } from './route-class.ts'

// How sure the model must be to count: to overrule the classifier's handoff (never a rule's) with an
// answer that still offers a mentor, to hand over what the classifier would answer, or to tell an
// answer from an off-topic message. Two stages that disagree are not a confident decision either way,
// which is what the offer is for.
const MODEL_SURE = 0.7

export function combineRoutes(offline: RouteDecision, model: ModelDecision | undefined): RouteDecision {
  if (!model || offline.route === 'crisis' || offline.route === 'human') return offline
  const fromModel: RouteDecision = {
    ...offline,
    route: model.route,
    offer: false,
    stage: 'model',
    reason: modelReason(model.route, model.reason),
  }
  if (model.route === 'crisis' || model.route === 'human') return fromModel

  const offlineHand = isHandoff(offline.route)
  const modelHand = isHandoff(model.route)
  if (offlineHand && modelHand) return { ...offline, stage: 'rules+model' }
  if (offlineHand) {
    // A rule is a high-precision override; the classifier's handoff gives way only to a sure model,
    // and then the user still gets the offer.
    const overrule =
      offline.stage === 'classifier' && model.route === 'answer' && model.confidence >= MODEL_SURE
    return overrule ? { ...fromModel, offer: true } : offline
  }
  if (modelHand) {
    // The model hands over what the offline router would answer: safety first, unless the offline
    // router was sure it is an answer and the model is not sure either; then answer with the offer.
    return model.confidence >= MODEL_SURE || offline.offer ? fromModel : { ...offline, offer: true }
  }
  // Neither hands over: the model tells an answer from an off-topic message better than the lexicon,
  // but an offer the offline router made stays.
  return model.confidence >= MODEL_SURE ? { ...fromModel, offer: offline.offer } : offline
}
