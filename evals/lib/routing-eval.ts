// The routing eval: the guardrail router over the routing set, rules only and rules + model side by
// side, the model stage running the real client against fixtures (lib/model-fixtures.ts).
import { createChatModel } from '../../src/agents/models.ts'
import { redactPersonalData } from '../../src/agents/pii.ts'
import { combineRoutes } from '../../src/agents/router/combine.ts'
import { routeByModel } from '../../src/agents/router/model-router.ts'
import type { RouteClass } from '../../src/agents/router/route-class.ts'
import { routeByRules } from '../../src/agents/router/rules-router.ts'
import { loadConfig } from '../../src/config.ts'
import { authoredRoutes } from './authoring.ts'
import type { RoutingCase } from './datasets.ts'
import { type FixtureMode, FixtureStore } from './model-fixtures.ts'
import { type RoutingScores, scoreRouting } from './routing-metrics.ts'

export const ROUTING_FIXTURES = 'evals/fixtures/routing.jsonl'
export const ROUTING_AUTHORED = 'evals/fixtures/authored/routing-model.jsonl'

export interface RoutingOutcomeRow extends RoutingCase {
  actual: RouteClass
}

export interface RoutingRun {
  name: 'rules' | 'rulesModel'
  label: string
  outcomes: RoutingOutcomeRow[]
  scores: RoutingScores
  /** Of the messages near the border between answer and handoff. */
  border: RoutingScores
}

export interface RoutingEval {
  runs: RoutingRun[]
  latency: { rulesMicrosPerMessage: number; modelMsPerMessage: number }
  store: FixtureStore
}

const run = (name: RoutingRun['name'], label: string, outcomes: RoutingOutcomeRow[]): RoutingRun => ({
  name,
  label,
  outcomes,
  scores: scoreRouting(outcomes),
  border: scoreRouting(outcomes.filter((o) => o.border)),
})

/** Both routers over the cases; the model stage as a turn runs it (crisis rules skip it, text redacted). */
export async function runRoutingEval(cases: readonly RoutingCase[], mode: FixtureMode): Promise<RoutingEval> {
  const started = performance.now()
  const byRules = cases.map((c) => routeByRules(c.text))
  const rulesMicrosPerMessage = ((performance.now() - started) * 1000) / cases.length

  const store = await FixtureStore.load(ROUTING_FIXTURES)
  const stop = store.intercept(
    mode,
    mode === 'author' ? await authoredRoutes(ROUTING_AUTHORED, cases) : undefined,
  )
  try {
    const model = createChatModel(fixtureConfig(mode))
    if (!model) throw new Error('no chat model configured')
    const modelStarted = performance.now()
    const combined = await Promise.all(
      cases.map(async (c, i) => {
        const rules = byRules[i] ?? routeByRules(c.text)
        const answer =
          rules.route === 'crisis'
            ? undefined
            : await routeByModel(model, redactPersonalData(c.text)).catch(() => undefined)
        return { ...c, actual: combineRoutes(rules, answer).route }
      }),
    )
    const modelMsPerMessage = (performance.now() - modelStarted) / cases.length
    const rulesOnly = cases.map((c, i) => ({ ...c, actual: byRules[i]?.route ?? 'answer' }))
    return {
      runs: [
        run('rules', 'Rules only', rulesOnly),
        run('rulesModel', `Rules + model (${mode === 'live' ? 'live' : 'fixtures'})`, combined),
      ],
      latency: { rulesMicrosPerMessage, modelMsPerMessage },
      store,
    }
  } finally {
    stop()
  }
}

/** The configuration of a model that answers from fixtures (or, live and recording, the real endpoint). */
export function fixtureConfig(mode: FixtureMode) {
  return loadConfig({
    ...process.env,
    ...(mode === 'replay' || mode === 'author' ? { OPENAI_API_KEY: 'sk-fixtures', OPENAI_BASE_URL: '' } : {}),
    MODEL_MAX_RETRIES: '0',
  })
}
