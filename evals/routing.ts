// `npm run eval:routing`: runs the guardrail router over the routing eval set and prints precision,
// recall, F1 per class, the confusion matrix and the handoff figures; exits 1 below the targets.
import { routeByRules } from '../src/agents/router/rules-router.ts'
import { readJsonl, routingCase } from './lib/datasets.ts'
import { formatRouting, scoreRouting } from './lib/routing-metrics.ts'

// Targets of the guardrail design: a missed handoff is worse than an unneeded one.
const TARGETS = { handoffRecall: 0.98, handoffPrecision: 0.9 }

const cases = await readJsonl('evals/datasets/routing.jsonl', routingCase)
const started = performance.now()
const outcomes = cases.map((c) => ({ ...c, actual: routeByRules(c.text).route }))
const microsPerMessage = ((performance.now() - started) * 1000) / cases.length
const scores = scoreRouting(outcomes)
const border = scoreRouting(outcomes.filter((o) => o.border))

console.log(
  `# Routing eval — ${cases.length} messages (${cases.filter((c) => c.border).length} near the border)\n`,
)
console.log(formatRouting('Rules only (all messages)', scores))
console.log(`\nRule stage: ${microsPerMessage.toFixed(0)} µs per message on average (first call included).`)
console.log(
  `\nNear the border only: handoff recall ${border.handoff.recall.toFixed(3)}, precision ${border.handoff.precision.toFixed(3)}`,
)
const wrong = outcomes.filter((o) => o.expected !== o.actual)
if (wrong.length) {
  console.log('\nMisrouted:')
  for (const o of wrong)
    console.log(`- ${o.id} expected ${o.expected}, got ${o.actual}: ${o.text.slice(0, 100)}`)
}
const ok =
  scores.handoff.recall >= TARGETS.handoffRecall && scores.handoff.precision >= TARGETS.handoffPrecision
console.log(
  `\n${ok ? 'PASS' : 'FAIL'}: handoff recall ${scores.handoff.recall.toFixed(3)} (target >= ${TARGETS.handoffRecall}), ` +
    `precision ${scores.handoff.precision.toFixed(3)} (target >= ${TARGETS.handoffPrecision})`,
)
if (!ok) process.exitCode = 1
