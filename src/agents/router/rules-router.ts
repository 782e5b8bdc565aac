// Stage 1 of the guardrail router: deterministic rules, German and English, always on, well under 1 ms.

import { DESIGN_SIGNALS, DOMAIN_SIGNALS, RULES, type Rule } from './lexicon.ts'
import { readForRouting } from './read.ts'
import { DESIGN_QUESTION, NO_RULE, type Reason, ruleReason } from './reasons.ts'
import type { RouteClass } from './route-class.ts'

export interface RuleDecision {
  route: RouteClass
  /** Why, in words a mentor can read in the queue. */
  reason: Reason
  /** Ids of the rules that matched (including ones that did not decide). */
  rules: string[]
  /** strong: a strong rule decided; weak: a weak rule; default: nothing matched. */
  confidence: 'strong' | 'weak' | 'default'
  /** The message reads as a general design question (used when combining with the model stage). */
  designQuestion: boolean
  /** The message speaks of AI, work or companies at all. */
  inDomain: boolean
}

// When several handoff classes match, the more protective one wins.
const PRIORITY: RouteClass[] = [
  'crisis',
  'human',
  'works_council',
  'workforce',
  'legal_individual',
  'out_of_scope',
]

export function routeByRules(text: string): RuleDecision {
  return rulesOnRead(readForRouting(text))
}

/** The rules over a message as readForRouting made it. */
export function rulesOnRead(folded: string): RuleDecision {
  const matched = RULES.filter((rule) => rule.pattern.test(folded))
  const ids = matched.map((rule) => rule.id)
  const designQuestion = DESIGN_SIGNALS.test(folded)
  const inDomain = DOMAIN_SIGNALS.test(folded)

  const pick = (strength: Rule['strength']) =>
    PRIORITY.find((route) =>
      matched.some((rule) => rule.route === route && rule.strength === strength && route !== 'out_of_scope'),
    )

  const strong = pick('strong')
  if (strong) {
    return {
      route: strong,
      reason: reasonFor(strong, matched),
      rules: ids,
      confidence: 'strong',
      designQuestion,
      inDomain,
    }
  }
  const weak = pick('weak')
  if (weak && !designQuestion) {
    return {
      route: weak,
      reason: reasonFor(weak, matched),
      rules: ids,
      confidence: 'weak',
      designQuestion,
      inDomain,
    }
  }
  if (!inDomain && matched.some((rule) => rule.route === 'out_of_scope')) {
    return {
      route: 'out_of_scope',
      reason: ruleReason(
        'out_of_scope',
        matched.filter((r) => r.route === 'out_of_scope').map((r) => r.id),
      ),
      rules: ids,
      confidence: 'weak',
      designQuestion,
      inDomain,
    }
  }
  return {
    route: 'answer',
    reason: weak ? DESIGN_QUESTION : NO_RULE,
    rules: ids,
    confidence: 'default',
    designQuestion,
    inDomain,
  }
}

function reasonFor(route: RouteClass, matched: readonly Rule[]): Reason {
  return ruleReason(
    route,
    matched.filter((rule) => rule.route === route).map((rule) => rule.id),
  )
}
