// The routing eval: the guardrail router over the dev set (tuned on) and the blind test set (never
// tuned on), offline and with the model side by side, the model stage running the real client
// against fixtures (lib/model-fixtures.ts).
import { createChatModel } from '../../src/agents/models.ts'
import { redactPersonalData } from '../../src/agents/pii.ts'
import { routingClassifier } from '../../src/agents/router/classifier.ts'
import { combineRoutes } from '../../src/agents/router/combine.ts'
import { decideRoute, type RouteDecision } from '../../src/agents/router/decide.ts'
import { routeByModel } from '../../src/agents/router/model-router.ts'
import type { RouteClass } from '../../src/agents/router/route-class.ts'
import { loadConfig } from '../../src/config.ts'
import { authoredRoutes } from './authoring.ts'
import type { RoutingCase } from './datasets.ts'
import { type FixtureMode, FixtureStore } from './model-fixtures.ts'
import { type RoutingScores, scoreRouting } from './routing-metrics.ts'

export const ROUTING_FIXTURES = 'evals/fixtures/routing.jsonl'
/** What a capable but imperfect model answers, per case: dev and the blind test set apart. */
export const ROUTING_AUTHORED = [
  'evals/fixtures/authored/routing-model.jsonl',
  'evals/fixtures/authored/routing-model-test.jsonl',
]

export type RoutingSplit = 'dev' | 'test'

export interface RoutingOutcomeRow extends RoutingCase {
  actual: RouteClass
  offer: boolean
}

export interface RoutingRun {
  /** `dev.rules`, `test.rulesModel`, …: the metric prefix in the report. */
  name: `${RoutingSplit}.${'rules' | 'rulesModel'}`
  split: RoutingSplit
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

const run = (
  split: RoutingSplit,
  stage: 'rules' | 'rulesModel',
  label: string,
  outcomes: RoutingOutcomeRow[],
): RoutingRun => ({
  name: `${split}.${stage}`,
  split,
  label: `${split === 'dev' ? 'Dev' : 'Test'} · ${label}`,
  outcomes,
  scores: scoreRouting(outcomes),
  border: scoreRouting(outcomes.filter((o) => o.border)),
})

/**
 * The router over both splits: offline (rules and classifier) and with the model stage, as a turn
 * runs them (a crisis skips the model, the text is redacted), the model answering from fixtures.
 */
export async function runRoutingEval(
  splits: Record<RoutingSplit, readonly RoutingCase[]>,
  mode: FixtureMode,
): Promise<RoutingEval> {
  const all = [...splits.dev, ...splits.test]
  const started = performance.now()
  const offline = new Map(all.map((c) => [c.id, decideRoute(c.text, routingClassifier)]))
  const rulesMicrosPerMessage = ((performance.now() - started) * 1000) / all.length

  const store = await FixtureStore.load(ROUTING_FIXTURES)
  const stop = store.intercept(
    mode,
    mode === 'author' ? await authoredRoutes(ROUTING_AUTHORED, all) : undefined,
  )
  try {
    const model = createChatModel(fixtureConfig(mode))
    if (!model) throw new Error('no chat model configured')
    const modelStarted = performance.now()
    const combined = new Map(
      await Promise.all(
        all.map(async (c) => {
          const decision = offline.get(c.id) ?? decideRoute(c.text, routingClassifier)
          const answer =
            decision.route === 'crisis'
              ? undefined
              : await routeByModel(model, redactPersonalData(c.text)).catch(() => undefined)
          return [c.id, combineRoutes(decision, answer)] as const
        }),
      ),
    )
    const modelMsPerMessage = (performance.now() - modelStarted) / all.length
    const outcomes = (cases: readonly RoutingCase[], by: Map<string, RouteDecision>) =>
      cases.map((c) => {
        const d = by.get(c.id)
        return { ...c, actual: d?.route ?? 'answer', offer: d?.offer ?? false }
      })
    const runs: RoutingRun[] = []
    for (const split of ['dev', 'test'] as const) {
      runs.push(run(split, 'rules', 'rules + classifier', outcomes(splits[split], offline)))
      runs.push(
        run(
          split,
          'rulesModel',
          `rules + classifier + model (${mode === 'live' ? 'live' : 'fixtures'})`,
          outcomes(splits[split], combined),
        ),
      )
    }
    return { runs, latency: { rulesMicrosPerMessage, modelMsPerMessage }, store }
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
