// `npm run bench:retention`: how long the retention job takes to delete expired conversations with what
// they hold (messages, feedback, handoffs, and the knowledge gaps that point at them), on the embedded
// database, and the longest batch transaction (the time the embedded database serves nothing else).
// Baseline in the same run: the same purge on the schema without migration 006, whose indexes on the
// referencing columns the cascading deletes use. Then the compaction that removes erased text from the
// data directory's files, against the erasure itself, on databases of the same sizes. Not a test.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { compactErasedData } from '../src/conversations/compaction.ts'
import { eraseConversation } from '../src/conversations/repository.ts'
import { purgeExpired } from '../src/conversations/retention.ts'
import type { Database } from '../src/db/database.ts'
import { migrate } from '../src/db/migrate.ts'
import { readMigrations } from '../src/db/migration-files.ts'
import { createPgliteDatabase } from '../src/db/pglite.ts'

const { values: args } = parseArgs({ options: { sizes: { type: 'string', default: '1000,3000,10000' } } })
const SIZES = (args.sizes ?? '').split(',').map(Number)
const INDEXES = '006_foreign_key_indexes'
const RETENTION_DAYS = 180

/** `count` expired conversations, each with six messages; every third has a closed handoff, every
 *  second a knowledge gap, every fifth feedback on its first answer. */
async function seed(db: Database, count: number) {
  await db.exec(`
    insert into conversations (tenant_slug, channel, locale, token_hash, created_at, updated_at)
      select 'default', 'widget', 'de', md5(g::text), now() - interval '400 days', now() - interval '400 days'
      from generate_series(1, ${count}) g;
    insert into messages (conversation_id, author, text)
      select c.id, case when n % 2 = 1 then 'user' else 'assistant' end, repeat('Wie fangen wir an? ', 12)
      from conversations c, generate_series(1, 6) n;
    with numbered as (select id, row_number() over (order by id) as n from conversations)
    insert into handoffs (conversation_id, tenant_slug, message_id, reason_class, router_reason, channel, status, updated_at)
      select c.id, 'default', (select m.id from messages m where m.conversation_id = c.id order by m.seq limit 1),
             'works_council', 'rules', 'widget', 'closed', now() - interval '400 days'
      from numbered c where c.n % 3 = 0;
    with numbered as (select id, row_number() over (order by id) as n from conversations)
    insert into knowledge_gaps (tenant_slug, conversation_id, question, lang)
      select 'default', c.id, 'Frage ohne Quelle', 'de' from numbered c where c.n % 2 = 0;
    with numbered as (select id, row_number() over (order by id) as n from conversations)
    insert into feedback (message_id, rating)
      select (select m.id from messages m where m.conversation_id = c.id and m.author = 'assistant' order by m.seq limit 1), 'up'
      from numbered c where c.n % 5 = 0;
  `)
}

/** Seeds, purges and returns the purge's time and its longest batch transaction. */
async function measure(count: number, withIndexes: boolean) {
  const migrations = (await readMigrations()).filter((m) => withIndexes || m.name !== INDEXES)
  const db = await createPgliteDatabase()
  await migrate(db, migrations)
  await seed(db, count)
  const batches: number[] = []
  const timed: Database = {
    ...db,
    async transaction(fn) {
      const started = performance.now()
      try {
        return await db.transaction(fn)
      } finally {
        batches.push(performance.now() - started)
      }
    },
  }
  const started = performance.now()
  const summary = await purgeExpired(timed, { days: RETENTION_DAYS })
  const total = performance.now() - started
  const { rows } = await db.query<{ n: number }>('select count(*)::int as n from messages')
  await db.close()
  if (summary.conversations !== count || rows[0]?.n !== 0) throw new Error('the purge left data behind')
  return { total, longest: Math.max(...batches) }
}

if ((await readMigrations()).every((m) => m.name !== INDEXES))
  throw new Error(`migration ${INDEXES} not found`)
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
console.log(`# bench:retention — ${new Date().toISOString()}, Node ${process.version}, embedded database\n`)
console.log(
  '| conversations | purge, without the indexes | purge | ratio | longest batch, without | longest batch |',
)
console.log('|---|---|---|---|---|---|')
for (const count of SIZES) {
  const before = await measure(count, false)
  const after = await measure(count, true)
  console.log(
    `| ${count} | ${s(before.total)} | ${s(after.total)} | x${(before.total / after.total).toFixed(1)} | ${s(before.longest)} | ${s(after.longest)} |`,
  )
}

/** One erasure and the compaction after it, on a database in a data directory holding `count` conversations. */
async function measureCompaction(count: number) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-compaction-'))
  try {
    const db = await createPgliteDatabase({ dataDir: dir })
    await migrate(db, await readMigrations())
    await seed(db, count)
    await db.exec('checkpoint')
    const { rows } = await db.query<{ id: string }>('select id from conversations limit 1')
    const id = rows[0]?.id ?? ''
    let started = performance.now()
    await db.transaction((tx) => eraseConversation(tx, id))
    const erase = performance.now() - started
    started = performance.now()
    await compactErasedData(db)
    const compact = performance.now() - started
    await db.close()
    return { erase, compact }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const ms = (value: number) => `${value.toFixed(0)} ms`
console.log(
  '\n| conversations held | erasure of one | compaction after it (tables rewritten, WAL segment removed) | ratio |',
)
console.log('|---|---|---|---|')
for (const count of SIZES) {
  const { erase, compact } = await measureCompaction(count)
  console.log(`| ${count} | ${ms(erase)} | ${ms(compact)} | x${(compact / erase).toFixed(0)} |`)
}
