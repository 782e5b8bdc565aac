// `npm run eval:routing`: runs the guardrail router over the routing eval set, rules only and rules +
// model side by side, and prints precision, recall, F1 per class, the confusion matrices and the
// handoff figures; exits 1 below the targets. The model answers come from evals/fixtures/routing.jsonl
// (see lib/model-fixtures.ts for --record, --author and --live).
import { z } from 'zod'
import { createChatModel } from '../src/agents/models.ts'
import { redactPersonalData } from '../src/agents/pii.ts'
import { combineRoutes } from '../src/agents/router/combine.ts'
import { ModelRoute, routeByModel } from '../src/agents/router/model-router.ts'
import { routeByRules } from '../src/agents/router/rules-router.ts'
import { loadConfig } from '../src/config.ts'
import { toolCallCompletion } from '../tests/helpers/openai-wire.ts'
import { type RoutingCase, readJsonl, routingCase } from './lib/datasets.ts'
import {
  type ChatRequestBody,
  type FixtureResponse,
  FixtureStore,
  fixtureMode,
} from './lib/model-fixtures.ts'
import { formatRouting, type RoutingScores, scoreRouting } from './lib/routing-metrics.ts'

// Targets of the guardrail design: a missed handoff is worse than an unneeded one.
const TARGETS = { handoffRecall: 0.98, handoffPrecision: 0.9 }
const FIXTURES = 'evals/fixtures/routing.jsonl'
const AUTHORED = 'evals/fixtures/authored/routing-model.jsonl'

const mode = fixtureMode(process.argv.slice(2))
const cases = await readJsonl('evals/datasets/routing.jsonl', routingCase)

// Rules only.
const started = performance.now()
const byRules = cases.map((c) => ({ ...c, rules: routeByRules(c.text) }))
const microsPerMessage = ((performance.now() - started) * 1000) / cases.length

// Rules + model, as a turn runs them: crisis rules skip the model; the model sees the redacted text.
if ((mode === 'record' || mode === 'live') && !process.env.OPENAI_API_KEY) {
  console.error(`--${mode} needs OPENAI_API_KEY (and OPENAI_BASE_URL for endpoints other than OpenAI).`)
  process.exit(2)
}
const store = await FixtureStore.load(FIXTURES)
const stop = store.intercept(mode, mode === 'author' ? await authoredRoutes(cases) : undefined)
const config = loadConfig({
  ...process.env,
  ...(mode === 'replay' || mode === 'author' ? { OPENAI_API_KEY: 'sk-fixtures', OPENAI_BASE_URL: '' } : {}),
  MODEL_MAX_RETRIES: '0',
})
const model = createChatModel(config)
if (!model) throw new Error('no chat model configured')
const modelStarted = performance.now()
const withModel = await Promise.all(
  byRules.map(async (c) => {
    const answer =
      c.rules.route === 'crisis'
        ? undefined
        : await routeByModel(model, redactPersonalData(c.text)).catch(() => undefined)
    return { ...c, decision: combineRoutes(c.rules, answer) }
  }),
)
const modelMs = (performance.now() - modelStarted) / cases.length
stop()
if (await store.save()) console.log(`Wrote ${store.madeCount} fixtures to ${FIXTURES}.\n`)

const rulesOnly = cases.map((c, i) => ({ ...c, actual: byRules[i]?.rules.route ?? 'answer' }))
const combined = withModel.map((c) => ({ ...c, actual: c.decision.route }))
const runs: Array<[string, typeof rulesOnly, RoutingScores]> = [
  ['Rules only', rulesOnly, scoreRouting(rulesOnly)],
  [`Rules + model (${mode === 'live' ? 'live' : 'fixtures'})`, combined, scoreRouting(combined)],
]

console.log(
  `# Routing eval — ${cases.length} messages (${cases.filter((c) => c.border).length} near the border)\n`,
)
const f = (v: number) => v.toFixed(3)
console.log(
  '| router | handoff recall | handoff precision | handoff F1 | over-handoff | accuracy | border recall / precision |',
)
console.log('|---|---|---|---|---|---|---|')
for (const [name, outcomes, s] of runs) {
  const border = scoreRouting(outcomes.filter((o) => o.border))
  console.log(
    `| ${name} | ${f(s.handoff.recall)} | ${f(s.handoff.precision)} | ${f(s.handoff.f1)} | ${f(s.overHandoffRate)} | ${f(s.accuracy)} | ${f(border.handoff.recall)} / ${f(border.handoff.precision)} |`,
  )
}
console.log(
  `\nRule stage ${microsPerMessage.toFixed(0)} µs per message (first call included); model stage ${modelMs.toFixed(1)} ms per message (${mode}).`,
)
for (const [name, outcomes, s] of runs) {
  console.log(`\n${formatRouting(name, s)}`)
  const wrong = outcomes.filter((o) => o.expected !== o.actual)
  if (wrong.length) {
    console.log('\nMisrouted:')
    for (const o of wrong)
      console.log(`- ${o.id} expected ${o.expected}, got ${o.actual}: ${o.text.slice(0, 90)}`)
  }
}

const failures: string[] = []
if (store.misses.length) failures.push(store.missReport())
for (const [name, , s] of runs) {
  if (s.handoff.recall < TARGETS.handoffRecall)
    failures.push(`${name}: handoff recall ${f(s.handoff.recall)} < ${TARGETS.handoffRecall}`)
  if (s.handoff.precision < TARGETS.handoffPrecision)
    failures.push(`${name}: handoff precision ${f(s.handoff.precision)} < ${TARGETS.handoffPrecision}`)
}
console.log(
  failures.length
    ? `\nFAIL:\n${failures.join('\n')}`
    : `\nPASS: handoff recall >= ${TARGETS.handoffRecall} and precision >= ${TARGETS.handoffPrecision}, rules only and with the model.`,
)
if (failures.length) process.exitCode = 1

/** Author mode: hand-written model answers (evals/fixtures/authored), found by the message they route. */
async function authoredRoutes(all: readonly RoutingCase[]) {
  const answers = await readJsonl(AUTHORED, ModelRoute.extend({ id: z.string().min(1) }))
  const byText = new Map<string, (typeof answers)[number]>()
  for (const c of all) {
    const answer = answers.find((a) => a.id === c.id)
    if (answer) byText.set(redactPersonalData(c.text).replaceAll('</message>', ''), answer)
  }
  return (body: ChatRequestBody): FixtureResponse | undefined => {
    const last = body.messages.at(-1)?.content
    const text = /<message>\n([\s\S]*)\n<\/message>/.exec(typeof last === 'string' ? last : '')?.[1]
    const answer = text === undefined ? undefined : byText.get(text)
    const name = body.tools?.[0]?.function.name
    if (!answer || !name) return undefined
    const { id: _, ...args } = answer
    return {
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify(toolCallCompletion(body.model, name, args)),
    }
  }
}
