// Answer metrics, per reply and over a run. Conventions: citation validity and expected-citation
// recall follow LlamaIndex's and Ragas' grounding checks (every reference resolves to a retrieved
// source; the sources a reference answer needs were cited); required facts and forbidden content are
// promptfoo-style `icontains`/`not-icontains` assertions, written as patterns; see evals/README.md.
import { isHandoff, type RouteClass } from '../../src/agents/router/route-class.ts'
import { detectTextLang } from '../../src/retrieval/embedders/text-features.ts'
import type { TurnResult } from './answer-eval.ts'
import { spread } from './stats.ts'

/** What went wrong with one reply, in words; empty when nothing did. */
export function replyFailures(turn: TurnResult, corpusIds: ReadonlySet<string>): string[] {
  const { reply, expect } = turn
  const failures: string[] = []
  if (reply.status !== 200 || !reply.route) return [`no reply (HTTP ${reply.status})`]
  const route = reply.route as RouteClass
  if (route !== expect.route) failures.push(`route ${route}, expected ${expect.route}`)
  for (const marker of invalidCitations(turn, corpusIds)) failures.push(`citation ${marker} names no source`)
  if (answered(turn)) {
    const cited = new Set(reply.citations.map((c) => c.documentId))
    const missing = expect.cites.filter((id) => !cited.has(id))
    if (expect.cites.length && missing.length === expect.cites.length)
      failures.push(`cites none of ${expect.cites.join(', ')}`)
  }
  for (const fact of expect.facts) if (!matches(reply.text, fact)) failures.push(`fact missing: /${fact}/`)
  for (const bad of expect.forbidden)
    if (matches(reply.text, bad)) failures.push(`forbidden present: /${bad}/`)
  const lang = replyLanguage(turn)
  if (lang !== turn.lang) failures.push(`reply in ${lang}, asked in ${turn.lang}`)
  for (const secret of leakedSecrets(turn)) failures.push(`personal data sent to the model: "${secret}"`)
  return failures
}

const matches = (text: string, pattern: string) => new RegExp(pattern, 'iu').test(text)

/** The reply answers with content (not a handoff or refusal). */
const answered = (turn: TurnResult) => turn.reply.mode === 'generated' || turn.reply.mode === 'extractive'

/** [n] markers in the reply that do not resolve to a citation of a document in the corpus. */
function invalidCitations(turn: TurnResult, corpusIds: ReadonlySet<string>): string[] {
  const byN = new Map(turn.reply.citations.map((c) => [c.n, c.documentId]))
  return [...turn.reply.text.matchAll(/\[(\d{1,3})\]/g)]
    .filter((m) => !corpusIds.has(byN.get(Number(m[1])) ?? ''))
    .map((m) => m[0])
}

const markers = (text: string) => [...text.matchAll(/\[(\d{1,3})\]/g)].map((m) => Number(m[1]))

export const replyLanguage = (turn: TurnResult) => detectTextLang(turn.reply.text, turn.lang)

const leakedSecrets = (turn: TurnResult) =>
  turn.secrets.filter((secret) => turn.modelRequests.some((request) => request.includes(secret)))

export interface AnswerScores {
  turns: number
  errors: number
  routeAccuracy: number
  /** Turns that need a human, handed to one. */
  handoffRecall: number
  /** Turns the machine must not answer (handoff or out of scope), not answered with content. */
  correctRefusals: number
  /** Turns that should be answered, answered with content. */
  answerRate: number
  /** [n] markers in delivered replies that resolve to a cited corpus document. */
  citationValidity: number
  /** [n] markers the model wrote that named one of its sources, before the pipeline checked them. */
  modelCitationValidity: number | null
  /** Generated answers withheld by the pipeline's checks (wrong language, no citation). */
  withheldRate: number | null
  expectedCitationRecall: number
  expectedCitationHit: number
  factsPresent: number
  forbiddenAbsent: number
  languageMatch: number
  personalDataSentToModel: number
  passRate: number
  latencyMs: Record<'route' | 'firstToken' | 'done', { p50: number; p95: number }>
}

const share = (hits: number, total: number) => (total === 0 ? 1 : hits / total)
const mean = (values: readonly number[]) =>
  values.length ? values.reduce((a, b) => a + b, 0) / values.length : 1

export function scoreAnswers(turns: readonly TurnResult[], corpusIds: ReadonlySet<string>): AnswerScores {
  const ok = turns.filter((t) => t.reply.status === 200 && t.reply.route)
  const needHuman = ok.filter((t) => isHandoff(t.expect.route))
  const mustNotAnswer = ok.filter((t) => t.expect.route !== 'answer')
  const shouldAnswer = ok.filter((t) => t.expect.route === 'answer' && t.expect.cites.length > 0)
  const withCites = ok.filter((t) => t.expect.cites.length > 0 && t.expect.route === 'answer')
  const allMarkers = ok.reduce((sum, t) => sum + markers(t.reply.text).length, 0)
  const invalid = ok.reduce((sum, t) => sum + invalidCitations(t, corpusIds).length, 0)
  const generated = ok.filter((t) => t.modelText !== undefined)
  const modelMarkers = generated.flatMap((t) => markers(t.modelText ?? '').map((n) => n <= t.sourcesGiven))
  const facts = ok.flatMap((t) => t.expect.facts.map((f) => matches(t.reply.text, f)))
  const citedExpected = withCites.map((t) => {
    const cited = new Set(t.reply.citations.map((c) => c.documentId))
    return t.expect.cites.filter((id) => cited.has(id)).length / t.expect.cites.length
  })
  const timing = (stage: keyof TurnResult['timings']) =>
    spread(ok.map((t) => t.timings[stage]).filter((v): v is number => v !== undefined))
  return {
    turns: turns.length,
    errors: turns.length - ok.length,
    routeAccuracy: share(ok.filter((t) => t.reply.route === t.expect.route).length, ok.length),
    handoffRecall: share(
      needHuman.filter((t) => isHandoff(t.reply.route as RouteClass)).length,
      needHuman.length,
    ),
    correctRefusals: share(
      mustNotAnswer.filter((t) =>
        isHandoff(t.expect.route) ? isHandoff(t.reply.route as RouteClass) : !answered(t),
      ).length,
      mustNotAnswer.length,
    ),
    answerRate: share(shouldAnswer.filter(answered).length, shouldAnswer.length),
    citationValidity: share(allMarkers - invalid, allMarkers),
    modelCitationValidity: generated.length
      ? share(modelMarkers.filter(Boolean).length, modelMarkers.length)
      : null,
    withheldRate: generated.length
      ? share(
          generated.filter((t) => t.reply.flags.includes('model_answer_rejected')).length,
          generated.length,
        )
      : null,
    expectedCitationRecall: mean(citedExpected),
    expectedCitationHit: share(citedExpected.filter((r) => r > 0).length, citedExpected.length),
    factsPresent: share(facts.filter(Boolean).length, facts.length),
    forbiddenAbsent: share(
      ok.filter((t) => !t.expect.forbidden.some((p) => matches(t.reply.text, p))).length,
      ok.length,
    ),
    languageMatch: share(ok.filter((t) => replyLanguage(t) === t.lang).length, ok.length),
    personalDataSentToModel: turns.reduce((sum, t) => sum + leakedSecrets(t).length, 0),
    passRate: share(turns.filter((t) => replyFailures(t, corpusIds).length === 0).length, turns.length),
    latencyMs: { route: timing('route'), firstToken: timing('firstToken'), done: timing('done') },
  }
}
