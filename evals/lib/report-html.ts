// The static HTML report: metric bars, confusion-matrix heatmaps, the gate, changes against the
// baseline and every answer turn, failures first. One file, no script, no external resources.
import { ROUTE_CLASSES } from '../../src/agents/router/route-class.ts'
import type { EvalReport } from './report.ts'

const html = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
const f3 = (value: number | null | undefined) =>
  value === null || value === undefined ? '–' : value.toFixed(3)
const COLORS = ['#5b8def', '#f2a541', '#3fb68b']

interface Series {
  name: string
  values: Array<number | null>
}

/** Horizontal grouped bars on a 0–1 scale: one group per metric, one bar per series. */
function barChart(title: string, metrics: readonly string[], series: readonly Series[]): string {
  const bar = 14
  const group = series.length * bar + 12
  const labelWidth = 250
  const plot = 380
  const height = metrics.length * group + 40
  const parts: string[] = []
  metrics.forEach((metric, i) => {
    const y = 30 + i * group
    parts.push(
      `<text x="${labelWidth - 8}" y="${y + (series.length * bar) / 2 + 4}" text-anchor="end">${html(metric)}</text>`,
    )
    series.forEach((s, j) => {
      const value = s.values[i]
      const width = value === null || value === undefined ? 0 : Math.max(0, Math.min(1, value)) * plot
      const by = y + j * bar
      parts.push(
        `<rect x="${labelWidth}" y="${by}" width="${width.toFixed(1)}" height="${bar - 2}" fill="${COLORS[j % COLORS.length]}"><title>${html(`${s.name}: ${f3(value)}`)}</title></rect>`,
        `<text x="${labelWidth + width + 4}" y="${by + bar - 4}" class="v">${f3(value)}</text>`,
      )
    })
  })
  const legend = series
    .map(
      (s, j) =>
        `<rect x="${labelWidth + j * 130}" y="6" width="12" height="12" fill="${COLORS[j % COLORS.length]}"/><text x="${labelWidth + j * 130 + 16}" y="16">${html(s.name)}</text>`,
    )
    .join('')
  return `<figure><figcaption>${html(title)}</figcaption><svg role="img" aria-label="${html(title)}" width="${labelWidth + plot + 60}" height="${height}" viewBox="0 0 ${labelWidth + plot + 60} ${height}">${legend}${parts.join('')}</svg></figure>`
}

function heatmap(title: string, confusion: Record<string, Record<string, number>>): string {
  const max = Math.max(1, ...ROUTE_CLASSES.flatMap((e) => ROUTE_CLASSES.map((a) => confusion[e]?.[a] ?? 0)))
  const head = ROUTE_CLASSES.map((c) => `<th scope="col">${c}</th>`).join('')
  const rows = ROUTE_CLASSES.map((e) => {
    const cells = ROUTE_CLASSES.map((a) => {
      const n = confusion[e]?.[a] ?? 0
      const alpha = n === 0 ? 0 : 0.15 + 0.85 * (n / max)
      const hue = e === a ? '63,182,139' : '229,83,83'
      return `<td style="background:rgba(${hue},${alpha.toFixed(2)})">${n}</td>`
    }).join('')
    return `<tr><th scope="row">${e}</th>${cells}</tr>`
  }).join('')
  return `<table class="heat"><caption>${html(title)} (rows: expected, columns: actual)</caption><tr><th></th>${head}</tr>${rows}</table>`
}

export function htmlReport(report: EvalReport): string {
  const sections: string[] = []
  const status = report.passed
    ? '<p class="pass">PASS</p>'
    : `<p class="fail">FAIL</p><ul>${report.failures.map((f) => `<li><pre>${html(f)}</pre></li>`).join('')}</ul>`
  sections.push(
    `<h1>Digital-Mentor eval report</h1>${status}<p>${html(report.generatedAt)} · model fixtures: ${html(report.fixtureMode)} · ${report.seconds.toFixed(1)} s · ${Object.entries(
      report.datasets,
    )
      .map(([n, c]) => `${html(n)} ${c}`)
      .join(', ')}</p>`,
  )
  sections.push(
    `<h2>Gate</h2><table><tr><th>metric</th><th>bound</th><th>value</th><th></th><th>why</th></tr>${report.gate
      .map(
        (g) =>
          `<tr class="${g.passed ? '' : 'bad'}"><td>${html(g.metric)}</td><td>${html(g.bound)}</td><td>${f3(g.value)}</td><td>${g.passed ? 'pass' : 'FAIL'}</td><td>${html(g.why)}</td></tr>`,
      )
      .join('')}</table>`,
  )
  if (report.retrieval.length)
    sections.push(
      '<h2>Retrieval</h2>',
      barChart(
        'Retrieval quality by search mode',
        ['hit@1', 'hit@3', 'hit@5', 'MRR@10', 'nDCG@10'],
        report.retrieval.map((r) => ({
          name: r.mode,
          values: [r.scores.hit1, r.scores.hit3, r.scores.hit5, r.scores.mrr10, r.scores.ndcg10],
        })),
      ),
      `<p>Query latency p50 / p95: ${report.retrieval.map((r) => `${html(r.mode)} ${r.latencyMs.p50.toFixed(1)} / ${r.latencyMs.p95.toFixed(1)} ms`).join(' · ')}</p>`,
    )
  if (report.routing.runs.length)
    sections.push(
      '<h2>Routing</h2>',
      barChart(
        'Guardrail router',
        [
          'handoff recall',
          'handoff precision',
          'handoff F1',
          'over-handoff rate',
          'accuracy',
          'border handoff recall',
        ],
        report.routing.runs.map((r) => ({
          name: r.label,
          values: [
            r.scores.handoff.recall,
            r.scores.handoff.precision,
            r.scores.handoff.f1,
            r.scores.overHandoffRate,
            r.scores.accuracy,
            r.border.handoff.recall,
          ],
        })),
      ),
      `<div class="row">${report.routing.runs.map((r) => heatmap(r.label, r.scores.confusion)).join('')}</div>`,
    )
  if (report.answers.length) {
    const names = [
      ['pass rate', 'passRate'],
      ['route accuracy', 'routeAccuracy'],
      ['handoff recall', 'handoffRecall'],
      ['correct refusals', 'correctRefusals'],
      ['answer rate', 'answerRate'],
      ['citation validity', 'citationValidity'],
      ['model citations (before checks)', 'modelCitationValidity'],
      ['expected-citation hit', 'expectedCitationHit'],
      ['expected-citation recall', 'expectedCitationRecall'],
      ['required facts present', 'factsPresent'],
      ['forbidden content absent', 'forbiddenAbsent'],
      ['language match', 'languageMatch'],
    ] as const
    sections.push(
      '<h2>Answers</h2>',
      barChart(
        'Answers: offline and generated',
        names.map(([label]) => label),
        report.answers.map((a) => ({ name: a.mode, values: names.map(([, key]) => a.scores[key]) })),
      ),
      `<table><tr><th>latency (ms)</th>${report.answers.map((a) => `<th>${a.mode} p50</th><th>${a.mode} p95</th>`).join('')}</tr>${(
        ['route', 'firstToken', 'done'] as const
      )
        .map(
          (stage) =>
            `<tr><td>${stage === 'done' ? 'stored reply' : stage === 'firstToken' ? 'first token' : 'route decided'}</td>${report.answers.map((a) => `<td>${a.scores.latencyMs[stage].p50.toFixed(1)}</td><td>${a.scores.latencyMs[stage].p95.toFixed(1)}</td>`).join('')}</tr>`,
        )
        .join('')}</table>`,
    )
  }
  if (report.baseline) {
    const changes = report.baseline.changes
    sections.push(
      `<h2>Against the baseline</h2>${changes.length ? `<table><tr><th>metric</th><th>baseline</th><th>now</th><th>change</th></tr>${changes.map((c) => `<tr class="${c.regression ? 'bad' : 'good'}"><td>${html(c.metric)}</td><td>${f3(c.baseline)}</td><td>${f3(c.now)}</td><td>${c.delta > 0 ? '+' : ''}${c.delta.toFixed(3)} ${c.regression ? 'regression' : 'better'}</td></tr>`).join('')}</table>` : '<p>No metric changed.</p>'}`,
    )
  }
  for (const a of report.answers) {
    sections.push(
      `<h2>Turns, ${a.mode} (failures first)</h2><table class="cases"><tr><th>id</th><th>suite</th><th>route (expected)</th><th>mode</th><th>cited</th><th>failures</th><th>question and reply</th></tr>${a.turns
        .map(
          (t) =>
            `<tr class="${t.failures.length ? 'bad' : ''}"><td>${html(t.id)}</td><td>${html(t.suite)}${t.attack ? `<br><small>${html(t.attack)}</small>` : ''}</td><td>${html(t.route ?? '–')} (${html(t.expectedRoute)})</td><td>${html(t.mode ?? '–')}${t.flags.length ? `<br><small>${html(t.flags.join(', '))}</small>` : ''}</td><td>${html(t.cited.join(', '))}</td><td>${html(t.failures.join('; '))}</td><td><details><summary>${html(t.question)}</summary><pre>${html(t.reply)}</pre>${t.modelText !== undefined ? `<p>Model before checks:</p><pre>${html(t.modelText)}</pre>` : ''}</details></td></tr>`,
        )
        .join('')}</table>`,
    )
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Digital-Mentor eval report</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#1d2330}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #d6dae3;padding:.3rem .5rem;text-align:left;vertical-align:top}
tr.bad td{background:#fdecec}tr.good td{background:#eaf7f0}.pass{color:#1d7a4f;font-weight:700;font-size:1.4rem}.fail{color:#b3261e;font-weight:700;font-size:1.4rem}
figure{margin:1rem 0}figcaption{font-weight:600}svg text{font-size:12px;fill:#1d2330}svg text.v{fill:#555}
.heat td{text-align:center;min-width:3.5rem}.row{display:flex;gap:2rem;flex-wrap:wrap}pre{white-space:pre-wrap;margin:.3rem 0;font-size:12px}
.cases td:nth-child(6){max-width:18rem}.cases td:last-child{max-width:30rem}
</style></head><body>
${sections.join('\n')}
</body></html>
`
}
