// `npm run bench:text`: what worst-case text at the longest accepted lengths costs, against a normal
// text of the same length measured in the same run: the text algorithms one by one (router, PII
// redaction, query expansion) and whole requests (POST /v1/search, a chat message) on the embedded
// database. Prints the median wall time of BENCH_RUNS runs (default 5) and the ratio. Not a test.
import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { redactPersonalData } from '../src/agents/pii.ts'
import { routeByRules } from '../src/agents/router/rules-router.ts'
import { loadConfig } from '../src/config.ts'
import { migrate } from '../src/db/migrate.ts'
import { readMigrations } from '../src/db/migration-files.ts'
import { wrapPglite } from '../src/db/pglite.ts'
import { createLogger } from '../src/log.ts'
import { createLocalEmbedder } from '../src/retrieval/embedders/local-embedder.ts'
import { ingestCorpus } from '../src/retrieval/ingest.ts'
import { expandQuery } from '../src/retrieval/thesaurus.ts'
import { createApp } from '../src/server/app.ts'

const RUNS = Number(process.env.BENCH_RUNS ?? 5)
// The longest accepted inputs: a chat message, a search query, a mentor reply (redacted as history).
const MESSAGE = 4000
const QUERY = 1000
const REPLY = 8000

const SENTENCES = [
  'Wie führen wir KI in unserem Handwerksbetrieb ein, ohne die Beschäftigten zu überfordern?',
  'Schreiben Sie bitte an anna.schmidt@beispiel-gmbh.de oder rufen Sie 0611 123456 an.',
  'Die Gefährdungsbeurteilung muss psychische Belastungen durch neue Software berücksichtigen.',
  'Wir sitzen in der Musterstraße 12a, 55116 Mainz, und haben zwanzig Mitarbeitende.',
]
const repeat = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length)
const inputs: Record<string, (length: number) => string> = {
  normal: (length) => repeat(`${SENTENCES.join(' ')} `, length),
  'run of ß': (length) => repeat('ß', length),
  'run of a': (length) => repeat('a', length),
  'a-a-a-…': (length) => repeat('a-', length),
  'e-mail fragments': (length) => repeat('a.b@', length),
  // Compounds of known parts, each of 64 letters: the most splitting work per character.
  'longest compounds': (length) =>
    repeat(`${repeat('leistungskontrollebetriebsratdatenschutz', 64)} `, length),
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

async function timed(run: () => unknown): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now()
    await run()
    times.push(performance.now() - started)
  }
  return median(times)
}

const db = await PGlite.create({ extensions: { vector } })
const database = wrapPglite(db)
const migrations = await readMigrations()
await migrate(database, migrations)
const embedder = createLocalEmbedder()
await ingestCorpus({ database, embedder, corpusDir: 'corpus' })
const off = '0'
const app = createApp({
  config: loadConfig({
    LIMIT_CONVERSATIONS_PER_CLIENT: off,
    LIMIT_CONVERSATIONS_PER_TENANT: off,
    LIMIT_MESSAGES_PER_CONVERSATION: off,
    LIMIT_MESSAGES_PER_TENANT: off,
    LIMIT_SEARCHES_PER_CLIENT: off,
    LIMIT_HANDOFFS_PER_CLIENT: off,
    LIMIT_HANDOFFS_PER_TENANT: off,
  }),
  database,
  migrations,
  logger: createLogger('silent'),
  embedder,
})
const json = { 'content-type': 'application/json' }
const post = async (path: string, body: unknown, token?: string) => {
  const res = await app.request(path, {
    method: 'POST',
    headers: token ? { ...json, authorization: `Bearer ${token}` } : json,
    body: JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${path}: ${res.status}`)
  return res.json() as Promise<{ id: string; token: string }>
}

const paths: Record<string, { length: number; run: (text: string) => unknown }> = {
  [`router (${MESSAGE})`]: { length: MESSAGE, run: (text) => routeByRules(text) },
  [`PII redaction (${REPLY})`]: { length: REPLY, run: (text) => redactPersonalData(text) },
  [`query expansion (${MESSAGE})`]: { length: MESSAGE, run: (text) => expandQuery(text, 'de') },
  [`POST /v1/search (${QUERY})`]: { length: QUERY, run: (query) => post('/v1/search', { query }) },
  [`chat message (${MESSAGE})`]: {
    length: MESSAGE,
    run: async (text) => {
      const c = await post('/v1/conversations', {})
      await post(`/v1/conversations/${c.id}/messages`, { text }, c.token)
    },
  },
}

const names = Object.keys(inputs)
console.log(`\n## Worst-case text (median of ${RUNS} runs; × = ratio to the normal text)\n`)
console.log(`| path (characters) | ${names.join(' | ')} |`)
console.log(`|---|${names.map(() => '---').join('|')}|`)
for (const [path, { length, run }] of Object.entries(paths)) {
  const cells: string[] = []
  let normal = 0
  for (const [name, make] of Object.entries(inputs)) {
    const ms = await timed(() => run(make(length)))
    if (name === 'normal') normal = ms
    cells.push(
      name === 'normal' ? `${ms.toFixed(1)} ms` : `${ms.toFixed(1)} ms (${(ms / normal).toFixed(1)} ×)`,
    )
  }
  console.log(`| ${path} | ${cells.join(' | ')} |`)
}
await db.close()
