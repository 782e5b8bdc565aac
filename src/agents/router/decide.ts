// The offline routing decision: high-precision rules first, then the classifier, biased to safety.
// Between a confident answer and a confident handoff the user gets the answer and, in the same reply,
// the offer of a mentor: a borderline case costs one click, not a wrong answer.
import type { Classifier, ClassProbabilities, RouterThresholds } from './classifier.ts'
import { readForRouting } from './read.ts'
import { classifierReason, offerReason, type Reason } from './reasons.ts'
import { isHandoff, type RouteClass } from './route-class.ts'
import { type RuleDecision, rulesOnRead } from './rules-router.ts'

export interface RouteDecision {
  route: RouteClass
  /** An answer with a mentor offered beside it (route is `answer`). */
  offer: boolean
  stage: 'rules' | 'classifier' | 'model' | 'rules+model' | 'request'
  reason: Reason
  /** Ids of the rules that matched (including ones that did not decide). */
  rules: string[]
  /** The classifier's probability that a person should take the message. */
  handoffProbability: number
}

const HANDOFF_TOPICS = ['works_council', 'workforce', 'legal_individual'] as const

export function decideRoute(text: string, classifier: Classifier): RouteDecision {
  const read = readForRouting(text)
  return decideFrom(rulesOnRead(read), classifier.classifyRead(read), classifier.thresholds)
}

/** The decision from the rules' verdict and the classifier's probabilities (fitting tries thresholds). */
export function decideFrom(rules: RuleDecision, p: ClassProbabilities, t: RouterThresholds): RouteDecision {
  const handoffProbability = HANDOFF_TOPICS.reduce((sum, c) => sum + p[c], p.crisis + p.human)
  const base = { rules: rules.rules, handoffProbability, offer: false }
  const byRules = (route: RouteClass) => ({ ...base, route, stage: 'rules' as const, reason: rules.reason })
  const byClassifier = (route: RouteClass, probability: number) => ({
    ...base,
    route,
    stage: 'classifier' as const,
    reason: classifierReason(route, probability),
  })

  if (rules.route === 'crisis') return byRules('crisis')
  if (p.crisis >= t.crisis) return byClassifier('crisis', p.crisis)
  if (rules.route === 'human') return byRules('human')
  if (p.human >= t.human) return byClassifier('human', p.human)
  if (isHandoff(rules.route) && rules.confidence === 'strong') return byRules(rules.route)
  // A weak rule (words like "Kündigung" or "Überwachung") hands over unless the classifier reads a
  // general question; then the user gets the answer and the offer, or, off topic, the refusal.
  if (isHandoff(rules.route) && handoffProbability >= t.offer) return byRules(rules.route)
  if (handoffProbability >= t.handoff) {
    const topic = HANDOFF_TOPICS.reduce((a, b) => (p[b] > p[a] ? b : a))
    return byClassifier(topic, handoffProbability)
  }
  if (rules.route === 'out_of_scope') return byRules('out_of_scope')
  const top = (Object.keys(p) as RouteClass[]).reduce((a, b) => (p[b] > p[a] ? b : a))
  if (top === 'out_of_scope' && p.out_of_scope >= (rules.inDomain ? t.outOfScopeInDomain : t.outOfScope))
    return byClassifier('out_of_scope', p.out_of_scope)
  if (handoffProbability >= t.offer || isHandoff(rules.route))
    return {
      ...base,
      route: 'answer',
      offer: true,
      stage: 'classifier',
      reason: offerReason(handoffProbability),
    }
  return { ...base, route: 'answer', stage: 'rules', reason: rules.reason }
}

// From the safest outcome to the least safe: who is in danger, who asked for a person, who needs one.
const SAFETY: readonly RouteClass[] = ['crisis', 'human', 'works_council', 'workforce', 'legal_individual']

/** The safer of two decisions on the same turn (the message alone, and the message in context). */
export function saferDecision<D extends RouteDecision>(a: D, b: D): D {
  const rank = (d: RouteDecision) => {
    const i = SAFETY.indexOf(d.route)
    if (i >= 0) return i
    if (d.offer) return SAFETY.length
    return d.route === 'answer' ? SAFETY.length + 1 : SAFETY.length + 2
  }
  return rank(b) < rank(a) ? b : a
}
