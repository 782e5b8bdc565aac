// The eval report: one JSON document (evals/reports/latest.json) with flat metrics for the gate and the
// baseline, and a Markdown summary of it. The HTML report is drawn from the same document.
import { ROUTE_CLASSES } from '../../src/agents/router/route-class.ts'
import type { TurnResult } from './answer-eval.ts'
import { type AnswerScores, replyFailures } from './answer-metrics.ts'
import type { Change, GateResult, Metrics } from './gate.ts'
import type { QuestionOutcome, QuestionScores } from './question-eval.ts'
import type { RetrievalScores } from './retrieval-metrics.ts'
import type { RoutingScores } from './routing-metrics.ts'

export const ANSWER_MODES = ['offline', 'generated'] as const
export type AnswerMode = (typeof ANSWER_MODES)[number]

export interface TurnRow {
  id: string
  suite: string
  attack?: string | undefined
  lang: string
  question: string
  expectedRoute: string
  route: string | null
  mode: string | null
  flags: string[]
  cited: string[]
  failures: string[]
  reply: string
  modelText?: string | undefined
}

export interface EvalReport {
  generatedAt: string
  fixtureMode: string
  seconds: number
  datasets: Record<string, number>
  metrics: Metrics
  retrieval: Array<{
    mode: string
    scores: RetrievalScores
    latencyMs: { p50: number; p95: number }
    misses: Array<{ id: string; question: string; relevant: string[]; top: string[] }>
  }>
  questions: Array<{ split: 'dev' | 'devReal' | 'test'; scores: QuestionScores; misses: QuestionOutcome[] }>
  routing: {
    runs: Array<{
      name: string
      label: string
      scores: RoutingScores
      border: RoutingScores
      misrouted: Array<{ id: string; text: string; expected: string; actual: string }>
    }>
    latency: { rulesMicrosPerMessage: number; modelMsPerMessage: number }
  }
  answers: Array<{ mode: AnswerMode; scores: AnswerScores; turns: TurnRow[] }>
  gate: GateResult[]
  baseline: { file: string; changes: Change[] } | null
  failures: string[]
  passed: boolean
}

const cut = (text: string, length: number) => (text.length > length ? `${text.slice(0, length - 1)}…` : text)

export function turnRow(turn: TurnResult, corpusIds: ReadonlySet<string>): TurnRow {
  return {
    id: turn.id,
    suite: turn.suite,
    ...(turn.attack ? { attack: turn.attack } : {}),
    lang: turn.lang,
    question: cut(turn.text, 300),
    expectedRoute: turn.expect.route,
    route: turn.reply.route,
    mode: turn.reply.mode,
    flags: turn.reply.flags,
    cited: [...new Set(turn.reply.citations.map((c) => c.documentId))],
    failures: replyFailures(turn, corpusIds),
    reply: cut(turn.reply.text, 900),
    ...(turn.modelText !== undefined ? { modelText: cut(turn.modelText, 900) } : {}),
  }
}

/** The flat metric names the gate and the baseline use, e.g. `answers.generated.citationValidity`. */
export function flatMetrics(
  report: Omit<EvalReport, 'metrics' | 'gate' | 'baseline' | 'failures' | 'passed'>,
) {
  const metrics: Metrics = {}
  const put = (prefix: string, values: object) => {
    for (const [key, value] of Object.entries(values)) {
      if (typeof value === 'number') metrics[`${prefix}.${key}`] = round(value)
      else if (value && typeof value === 'object') put(`${prefix}.${key}`, value)
    }
  }
  for (const r of report.retrieval) put(`retrieval.${r.mode}`, { ...r.scores, latencyMs: r.latencyMs })
  for (const q of report.questions) put(`questions.${q.split}`, q.scores)
  for (const run of report.routing.runs) {
    const s = run.scores
    put(`routing.${run.name}`, {
      handoffRecall: s.handoff.recall,
      handoffPrecision: s.handoff.precision,
      handoffF1: s.handoff.f1,
      overHandoffRate: s.overHandoffRate,
      offerRate: s.offerRate,
      crisisRecall: s.crisisRecall,
      humanRecall: s.humanRecall,
      outOfScopeRecall: s.outOfScopeRecall,
      accuracy: s.accuracy,
      borderHandoffRecall: run.border.handoff.recall,
      class: Object.fromEntries(
        ROUTE_CLASSES.map((c) => [
          c,
          { precision: s.perClass[c].precision, recall: s.perClass[c].recall, f1: s.perClass[c].f1 },
        ]),
      ),
    })
  }
  put('routing.latency', report.routing.latency)
  for (const a of report.answers) {
    const { latencyMs, ...scores } = a.scores
    put(`answers.${a.mode}`, { ...scores, latencyMs })
  }
  return metrics
}

const round = (value: number) => Math.round(value * 10000) / 10000

const f3 = (value: number | null | undefined) =>
  value === null || value === undefined ? '–' : value.toFixed(3)
const ms = (value: number) => `${value.toFixed(1)} ms`

export function markdownSummary(report: EvalReport): string {
  const lines: string[] = []
  const out = (...more: string[]) => lines.push(...more)
  out(
    `# Eval report — ${report.passed ? 'PASS' : 'FAIL'}`,
    '',
    `${report.generatedAt}, model fixtures: ${report.fixtureMode}, ${report.seconds.toFixed(1)} s. ` +
      `Datasets: ${Object.entries(report.datasets)
        .map(([name, n]) => `${name} ${n}`)
        .join(', ')}.`,
    '',
  )
  if (report.failures.length) out('## Failures', '', ...report.failures.map((f) => `- ${f}`), '')

  out('## Gate', '', '| metric | bound | value | | target |', '|---|---|---|---|---|')
  for (const g of report.gate)
    out(
      `| ${g.metric} | ${g.bound} | ${f3(g.value)} | ${g.passed ? 'pass' : '**FAIL**'} | ${
        g.target ? `${g.target.bound}${g.target.met ? '' : ' **not yet met**'}` : ''
      } |`,
    )

  out(
    '',
    '## Retrieval',
    '',
    '| mode | hit@1 | hit@3 | hit@5 | MRR@10 | nDCG@10 | p50 | p95 |',
    '|---|---|---|---|---|---|---|---|',
  )
  for (const r of report.retrieval) {
    const s = r.scores
    out(
      `| ${r.mode} | ${f3(s.hit1)} | ${f3(s.hit3)} | ${f3(s.hit5)} | ${f3(s.mrr10)} | ${f3(s.ndcg10)} | ${ms(r.latencyMs.p50)} | ${ms(r.latencyMs.p95)} |`,
    )
  }

  out(
    '',
    '## Answers to questions written by others (offline)',
    '',
    '| split | questions | covered | first citation gold | wrong answers | not covered: precision | recall | hit@1 | hit@5 | MRR |',
    '|---|---|---|---|---|---|---|---|---|---|',
  )
  for (const q of report.questions) {
    const s = q.scores
    out(
      `| ${q.split} | ${s.questions} | ${s.covered} | ${f3(s.firstCitationGold)} | ${f3(s.wrongAnswerRate)} | ${f3(s.notCoveredPrecision)} | ${f3(s.notCoveredRecall)} | ${f3(s.hit1)} | ${f3(s.hit5)} | ${f3(s.mrr)} |`,
    )
  }

  out(
    '',
    '## Routing',
    '',
    '| router | handoff recall | precision | over-handoff | offer only | crisis recall | person recall | off-topic recall | accuracy | border recall |',
    '|---|---|---|---|---|---|---|---|---|---|',
  )
  for (const run of report.routing.runs) {
    const s = run.scores
    out(
      `| ${run.label} | ${f3(s.handoff.recall)} | ${f3(s.handoff.precision)} | ${f3(s.overHandoffRate)} | ${f3(s.offerRate)} | ${f3(s.crisisRecall)} | ${f3(s.humanRecall)} | ${f3(s.outOfScopeRecall)} | ${f3(s.accuracy)} | ${f3(run.border.handoff.recall)} |`,
    )
  }
  const { rulesMicrosPerMessage, modelMsPerMessage } = report.routing.latency
  out(
    '',
    `Rule stage ${rulesMicrosPerMessage.toFixed(0)} µs per message; model stage ${ms(modelMsPerMessage)} per message.`,
  )
  for (const run of report.routing.runs) {
    out(
      '',
      `### ${run.label}: per class`,
      '',
      '| class | precision | recall | F1 | support |',
      '|---|---|---|---|---|',
    )
    for (const c of ROUTE_CLASSES) {
      const m = run.scores.perClass[c]
      out(`| ${c} | ${f3(m.precision)} | ${f3(m.recall)} | ${f3(m.f1)} | ${m.support} |`)
    }
    out(
      '',
      `| expected \\ actual | ${ROUTE_CLASSES.join(' | ')} |`,
      `|---|${ROUTE_CLASSES.map(() => '---').join('|')}|`,
    )
    for (const e of ROUTE_CLASSES)
      out(`| ${e} | ${ROUTE_CLASSES.map((a) => run.scores.confusion[e][a]).join(' | ')} |`)
    if (run.misrouted.length)
      out(
        '',
        'Misrouted:',
        ...run.misrouted.map(
          (m) => `- ${m.id}: expected ${m.expected}, got ${m.actual} — ${cut(m.text, 90)}`,
        ),
      )
  }

  out(
    '',
    '## Answers, offline and generated side by side',
    '',
    `| metric | ${report.answers.map((a) => a.mode).join(' | ')} |`,
    `|---|${report.answers.map(() => '---').join('|')}|`,
  )
  const rows: Array<[string, (s: AnswerScores) => string]> = [
    ['turns', (s) => String(s.turns)],
    ['errors', (s) => String(s.errors)],
    ['pass rate (every check of the turn)', (s) => f3(s.passRate)],
    ['route accuracy', (s) => f3(s.routeAccuracy)],
    ['handoff recall', (s) => f3(s.handoffRecall)],
    ['correct refusals', (s) => f3(s.correctRefusals)],
    ['answer rate (answerable turns)', (s) => f3(s.answerRate)],
    ['citation validity (delivered)', (s) => f3(s.citationValidity)],
    ['citation validity (model, before checks)', (s) => f3(s.modelCitationValidity)],
    ['generated answers withheld', (s) => f3(s.withheldRate)],
    ['expected-citation recall', (s) => f3(s.expectedCitationRecall)],
    ['expected-citation hit', (s) => f3(s.expectedCitationHit)],
    ['required facts present', (s) => f3(s.factsPresent)],
    ['forbidden content absent', (s) => f3(s.forbiddenAbsent)],
    ['language match', (s) => f3(s.languageMatch)],
    ['personal data sent to the model', (s) => String(s.personalDataSentToModel)],
    ['latency to route p50 / p95', (s) => `${ms(s.latencyMs.route.p50)} / ${ms(s.latencyMs.route.p95)}`],
    [
      'latency to first token p50 / p95',
      (s) => `${ms(s.latencyMs.firstToken.p50)} / ${ms(s.latencyMs.firstToken.p95)}`,
    ],
    [
      'latency to the stored reply p50 / p95',
      (s) => `${ms(s.latencyMs.done.p50)} / ${ms(s.latencyMs.done.p95)}`,
    ],
  ]
  for (const [name, value] of rows)
    out(`| ${name} | ${report.answers.map((a) => value(a.scores)).join(' | ')} |`)

  if (report.baseline) {
    const regressions = report.baseline.changes.filter((c) => c.regression)
    out('', `## Against the baseline (${report.baseline.file})`, '')
    if (!report.baseline.changes.length) out('No metric changed.')
    else {
      out(
        `${regressions.length} regression(s), ${report.baseline.changes.length - regressions.length} improvement(s).`,
        '',
        '| metric | baseline | now | change | |',
        '|---|---|---|---|---|',
      )
      for (const c of report.baseline.changes)
        out(
          `| ${c.metric} | ${f3(c.baseline)} | ${f3(c.now)} | ${c.delta > 0 ? '+' : ''}${c.delta.toFixed(3)} | ${c.regression ? '**regression**' : 'better'} |`,
        )
    }
  }

  for (const a of report.answers) {
    const failing = a.turns.filter((t) => t.failures.length)
    out('', `## Failing turns, ${a.mode} (${failing.length} of ${a.turns.length})`, '')
    for (const t of failing)
      out(`- ${t.id} (${t.suite}${t.attack ? `, ${t.attack}` : ''}): ${t.failures.join('; ')}`)
  }
  return `${lines.join('\n')}\n`
}
