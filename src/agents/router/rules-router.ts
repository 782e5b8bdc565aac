// Stage 1 of the guardrail router: deterministic rules, German and English, always on, well under 1 ms.
import { foldText } from '../../retrieval/embedders/text-features.ts'
import { DESIGN_SIGNALS, DOMAIN_SIGNALS, RULES, type Rule } from './lexicon.ts'
import type { RouteClass } from './route-class.ts'

export interface RuleDecision {
  route: RouteClass
  /** Why, in words a mentor can read in the queue. */
  reason: string
  /** Ids of the rules that matched (including ones that did not decide). */
  rules: string[]
  /** strong: a strong rule decided; weak: a weak rule; default: nothing matched. */
  confidence: 'strong' | 'weak' | 'default'
  /** The message reads as a general design question (used when combining with the model stage). */
  designQuestion: boolean
}

// When several handoff classes match, the more protective one wins.
const PRIORITY: RouteClass[] = ['crisis', 'works_council', 'workforce', 'legal_individual', 'out_of_scope']

export function routeByRules(text: string): RuleDecision {
  const folded = foldText(text).replace(/\s+/g, ' ')
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
    }
  }
  const weak = pick('weak')
  if (weak && !designQuestion) {
    return { route: weak, reason: reasonFor(weak, matched), rules: ids, confidence: 'weak', designQuestion }
  }
  if (!inDomain && matched.some((rule) => rule.route === 'out_of_scope')) {
    return {
      route: 'out_of_scope',
      reason: 'The message is about a topic outside AI and work design in companies.',
      rules: ids,
      confidence: 'weak',
      designQuestion,
    }
  }
  return {
    route: 'answer',
    reason: weak
      ? 'A general design question; the personnel or legal words in it are not about a particular case.'
      : 'No guardrail rule matched.',
    rules: ids,
    confidence: 'default',
    designQuestion,
  }
}

function reasonFor(route: RouteClass, matched: readonly Rule[]): string {
  const which = matched
    .filter((rule) => rule.route === route)
    .map((rule) => rule.id.split('.')[1]?.replaceAll('_', ' '))
  const why: Record<RouteClass, string> = {
    crisis: 'Signs of a crisis',
    works_council: 'A works-council or co-determination topic',
    workforce: 'A personnel matter',
    legal_individual: 'A request for individual legal advice',
    out_of_scope: 'Outside the mentor’s field',
    answer: 'A design question',
  }
  return `${why[route]} (${which.join(', ')}).`
}
