// Routing metrics: per-class precision, recall and F1, a confusion matrix, and the handoff view
// (handoff = any class a human takes over), where a missed handoff is the costly mistake.
import { isHandoff, ROUTE_CLASSES, type RouteClass } from '../../src/agents/router/route-class.ts'

export interface RoutingOutcome {
  expected: RouteClass
  actual: RouteClass
  /** An answer with a mentor offered beside it. */
  offer?: boolean
}

export interface RoutingScores {
  perClass: Record<RouteClass, { precision: number; recall: number; f1: number; support: number }>
  confusion: Record<RouteClass, Record<RouteClass, number>>
  handoff: { precision: number; recall: number; f1: number; missed: number; unneeded: number }
  /** Share of messages that should be answered but were handed over. */
  overHandoffRate: number
  /** Share of messages that should be answered that got the answer with a mentor offered beside it. */
  offerRate: number
  /** Crisis messages routed as a crisis. */
  crisisRecall: number
  /** Requests for a person handed to one (as a request or any other handoff). */
  humanRecall: number
  /** Off-topic messages refused as off-topic. */
  outOfScopeRecall: number
  accuracy: number
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b)
const f1 = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r))

export function scoreRouting(outcomes: readonly RoutingOutcome[]): RoutingScores {
  const zeros = () => Object.fromEntries(ROUTE_CLASSES.map((c) => [c, 0])) as Record<RouteClass, number>
  const confusion = Object.fromEntries(ROUTE_CLASSES.map((c) => [c, zeros()])) as RoutingScores['confusion']
  for (const o of outcomes) confusion[o.expected][o.actual]++
  const perClass = Object.fromEntries(
    ROUTE_CLASSES.map((c) => {
      const tp = confusion[c][c]
      const predicted = ROUTE_CLASSES.reduce((sum, e) => sum + confusion[e][c], 0)
      const support = ROUTE_CLASSES.reduce((sum, a) => sum + confusion[c][a], 0)
      const precision = ratio(tp, predicted)
      const recall = ratio(tp, support)
      return [c, { precision, recall, f1: f1(precision, recall), support }]
    }),
  ) as RoutingScores['perClass']
  const shouldHand = outcomes.filter((o) => isHandoff(o.expected))
  const didHand = outcomes.filter((o) => isHandoff(o.actual))
  const both = outcomes.filter((o) => isHandoff(o.expected) && isHandoff(o.actual)).length
  const precision = ratio(both, didHand.length)
  const recall = ratio(both, shouldHand.length)
  const answers = outcomes.filter((o) => o.expected === 'answer')
  return {
    perClass,
    confusion,
    handoff: {
      precision,
      recall,
      f1: f1(precision, recall),
      missed: shouldHand.length - both,
      unneeded: didHand.length - both,
    },
    overHandoffRate: ratio(answers.filter((o) => isHandoff(o.actual)).length, answers.length),
    offerRate: ratio(answers.filter((o) => o.actual === 'answer' && o.offer).length, answers.length),
    crisisRecall: ratio(confusion.crisis.crisis, outcomes.filter((o) => o.expected === 'crisis').length),
    humanRecall: ratio(
      outcomes.filter((o) => o.expected === 'human' && isHandoff(o.actual)).length,
      outcomes.filter((o) => o.expected === 'human').length,
    ),
    outOfScopeRecall: ratio(
      confusion.out_of_scope.out_of_scope,
      outcomes.filter((o) => o.expected === 'out_of_scope').length,
    ),
    accuracy: ratio(outcomes.filter((o) => o.expected === o.actual).length, outcomes.length),
  }
}

export function formatRouting(title: string, s: RoutingScores): string {
  const f = (v: number) => v.toFixed(3)
  const lines = [`## ${title}`, '']
  lines.push(
    `handoff recall ${f(s.handoff.recall)} (missed ${s.handoff.missed}), precision ${f(s.handoff.precision)} ` +
      `(unneeded ${s.handoff.unneeded}), F1 ${f(s.handoff.f1)}; over-handoff rate ${f(s.overHandoffRate)}; ` +
      `offer rate ${f(s.offerRate)}; crisis recall ${f(s.crisisRecall)}; person recall ${f(s.humanRecall)}; ` +
      `off-topic recall ${f(s.outOfScopeRecall)}; accuracy ${f(s.accuracy)}`,
    '',
    '| class | precision | recall | F1 | support |',
    '|---|---|---|---|---|',
  )
  for (const c of ROUTE_CLASSES) {
    const m = s.perClass[c]
    lines.push(`| ${c} | ${f(m.precision)} | ${f(m.recall)} | ${f(m.f1)} | ${m.support} |`)
  }
  lines.push(
    '',
    `| expected \\ actual | ${ROUTE_CLASSES.join(' | ')} |`,
    `|---|${ROUTE_CLASSES.map(() => '---').join('|')}|`,
  )
  for (const e of ROUTE_CLASSES)
    lines.push(`| ${e} | ${ROUTE_CLASSES.map((a) => s.confusion[e][a]).join(' | ')} |`)
  return lines.join('\n')
}
