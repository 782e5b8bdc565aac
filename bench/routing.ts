// `npm run bench:routing`: what the offline guardrail router costs per message: the rules alone (the
// baseline, measured in the same run) and the full decision (normalising, rules, classifier), over the
// dev split and the training messages, short and long. Prints figures; not a test.
import { readdir, readFile } from 'node:fs/promises'
import { routingClassifier } from '../src/agents/router/classifier.ts'
import { decideRoute } from '../src/agents/router/decide.ts'
import { routeByRules } from '../src/agents/router/rules-router.ts'
import { percentile } from './harness.ts'

const ROUNDS = 5
const texts: string[] = []
for (const line of (await readFile('evals/datasets/routing/dev.jsonl', 'utf8')).split('\n'))
  if (line.trim()) texts.push((JSON.parse(line) as { text: string }).text)
for (const file of await readdir('training/routing'))
  for (const line of (await readFile(`training/routing/${file}`, 'utf8')).split('\n'))
    if (line.trim()) texts.push((JSON.parse(line) as { text: string }).text)
// The longest message the chat accepts, made of real questions: the worst ordinary case.
const long = texts.join(' ').slice(0, 4000)

function measure(name: string, route: (text: string) => unknown, inputs: readonly string[]) {
  for (const text of inputs.slice(0, 200)) route(text) // warm up
  const times: number[] = []
  for (let round = 0; round < ROUNDS; round++)
    for (const text of inputs) {
      const at = performance.now()
      route(text)
      times.push(performance.now() - at)
    }
  const p50 = percentile(times, 50)
  const p95 = percentile(times, 95)
  console.log(
    `${name.padEnd(34)} p50 ${(p50 * 1000).toFixed(0).padStart(5)} µs   p95 ${(p95 * 1000).toFixed(0).padStart(5)} µs   max ${Math.max(...times).toFixed(2)} ms   (${times.length} messages)`,
  )
  return { p50, p95 }
}

console.log(`Routing ${texts.length} messages (dev split and training set), ${ROUNDS} rounds each\n`)
const rules = measure('rules alone (baseline)', routeByRules, texts)
const full = measure('rules + classifier', (text) => decideRoute(text, routingClassifier), texts)
const longRules = measure('rules alone, 4,000 characters', routeByRules, [long])
const longFull = measure('rules + classifier, 4,000 characters', (t) => decideRoute(t, routingClassifier), [
  long,
])
console.log(
  `\nratio to the baseline: p95 ${(full.p95 / rules.p95).toFixed(1)}x for ordinary messages, ` +
    `${(longFull.p95 / longRules.p95).toFixed(1)}x at 4,000 characters; target: full decision p95 under 2 ms`,
)
