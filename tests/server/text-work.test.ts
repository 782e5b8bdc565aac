// Worst-case text at the longest lengths the API accepts, through every text path: directly through
// the router, PII redaction, query expansion, compound splitting and chunk scoring, and through the app
// (search, chat turns, follow-ups, mentor drafts). Work is measured, never held against a clock:
// - counted work (characters stemmed, compound split points tried) must stay linear in the input;
// - the CPU time of a worst-case input, compared with a normal text of the same length in the same
//   process, must stay within a generous factor. Each side's cost is the least of several rounds
//   (load on the machine only ever adds time), so the comparison holds on a busy CI machine, while a
//   quadratic algorithm costs hundreds of times a normal text at these lengths.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { extractiveAnswer } from '../../src/agents/extractive.ts'
import { isFollowUp, MAX_STANDALONE_CHARS, standaloneQuestion } from '../../src/agents/follow-up.ts'
import { redactPersonalData, withoutPersonalData } from '../../src/agents/pii.ts'
import { routeByRules } from '../../src/agents/router/rules-router.ts'
import type { MessageRow } from '../../src/conversations/repository.ts'
import { createMentor } from '../../src/mentors/accounts.ts'
import { createLocalEmbedder, embedLocally } from '../../src/retrieval/embedders/local-embedder.ts'
import { corpusIdf } from '../../src/retrieval/embedders/local-idf.ts'
import { foldText, MAX_WORD_CHARS, textWork } from '../../src/retrieval/embedders/text-features.ts'
import { ingestCorpus } from '../../src/retrieval/ingest.ts'
import { rerank } from '../../src/retrieval/rerank.ts'
import { type SearchHit, search, textTerms } from '../../src/retrieval/search.ts'
import { compoundParts, expandQuery, SPLIT_POINTS } from '../../src/retrieval/thesaurus.ts'
import { pgliteAdapter, type TestDatabase } from '../helpers/databases.ts'
import { createTestApp } from '../helpers/test-app.ts'

type App = Awaited<ReturnType<typeof createTestApp>>['app']
type Schema = { properties?: Record<string, { maxLength?: number }>; $ref?: string }

/**
 * How many times a normal text's CPU time a worst-case input may cost. The bounded algorithms stay
 * under 4 (at most: PII redaction of a run of zeros, compounds of 64 letters made of known words);
 * the quadratic ones this guards against cost 40 to 3000 times as much at these lengths.
 */
const FUNCTION_FACTOR = 10
/** The same for whole requests (the database's share is the same for both): at most 1.4 measured. */
const REQUEST_FACTOR = 5
/**
 * The rule router gets a wider factor: a character that decomposes into 18 (NFKD) makes the folded
 * text it reads 18 times as long (12 to 16 times a normal text's cost); its patterns bound every
 * repetition, so a repeated word costs a constant factor, not the square of its length.
 */
const ROUTER_FACTOR = 40
/** Rounds per measurement: each side's cost is its cheapest round. */
const ROUNDS = 5

/**
 * Counted work, characters stemmed per character of (folded) input: one expansion stems the text once
 * and, per word of L > 8 letters, at most L - 7 cuts of three parts of at most MAX_WORD_CHARS; a path
 * expands the text up to three times and stems it a few more (embedding, full-text terms, coverage).
 */
const STEMS_PER_CHAR = 4 * (1 + 3 * MAX_WORD_CHARS)
/** The synonym groups' words and the passages a turn scores: work that does not grow with the input. */
const STEMS_FIXED = 100_000

// Normal questions, with the personal data and compounds that real messages have.
const SENTENCES = [
  'Wie führen wir KI in unserem Handwerksbetrieb ein, ohne die Beschäftigten zu überfordern?',
  'Welche Aufgaben in der Verwaltung eignen sich für eine Pilotphase mit einem Sprachmodell?',
  'Schreiben Sie bitte an anna.schmidt@beispiel-gmbh.de oder rufen Sie 0611 123456 an.',
  'Was kostet die Einführung, und wie bewerten wir den Aufwand gegen den Nutzen?',
  'How do we involve the works council early when we plan to use AI in customer service?',
  'Die Gefährdungsbeurteilung muss psychische Belastungen durch neue Software berücksichtigen.',
  'Unsere Führungskräfte fragen, wie sie Weiterbildung und Qualifizierung planen sollen.',
  'Wir sitzen in der Musterstraße 12a, 55116 Mainz, und haben zwanzig Mitarbeitende.',
]

function normalText(length: number): string {
  let text = ''
  for (let i = 0; text.length < length; i++) text += `${SENTENCES[i % SENTENCES.length]} `
  return text.slice(0, length)
}

const repeat = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length)

/** A deterministic stream of words: `part` picks the next piece, words end at MAX_WORD_CHARS. */
function words(length: number, pieces: readonly string[]): string {
  let seed = 7
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff
    return pieces[seed % pieces.length] ?? ''
  }
  let text = ''
  while (text.length < length) {
    let word = ''
    while (word.length < MAX_WORD_CHARS) word += next()
    text += `${word.slice(0, MAX_WORD_CHARS)} `
  }
  return text.slice(0, length)
}

/** Inputs that cost quadratic or worse in at least one text algorithm as it was, or still is. */
function worstCases(length: number): Record<string, string> {
  return {
    'run of ß': repeat('ß', length),
    'run of a': repeat('a', length),
    'run of @': repeat('@', length),
    'run of -': repeat('-', length),
    'run of digits': repeat('7', length),
    'run of 0': repeat('0', length),
    'letters and spaces': repeat('a ', length),
    'letters and hyphens': repeat('a-', length),
    'one huge word': repeat('Leistungskontrolle', length),
    'e-mail addresses': repeat('max.mustermann@firma.de ', length),
    'e-mail fragments': repeat('a.b@', length),
    'street fragments': repeat('a-straße', length),
    'phone fragments': repeat('+49 ', length),
    // Words of the longest length decompounding considers: random letters, and compounds of known parts.
    'longest random words': words(length, 'abcdefghiklmnoprstuvwz'.split('')),
    'longest compounds': words(length, [
      'leistungs',
      'kontrolle',
      'betriebs',
      'rat',
      'daten',
      'schutz',
      'zeit',
    ]),
    // The stemmer's prelude rebuilds the word at every u between vowels.
    'run of ue': repeat('ue', length),
    // Question forms: a lead word ("wo") that once made the pattern rescan the rest of the text.
    'repeated wo': repeat('wo ', length),
    // One character that decomposes (NFKD) into 18.
    'decomposing character': repeat('\ufdfa', length),
    // Word beginnings that some patterns follow with an unbounded \w*.
    'repeated ignorier': repeat('ignorier', length),
    'repeated rank': repeat('rank', length),
    'repeated mitarbeit': repeat('mitarbeit', length),
    // One "word" of non-letters between two letters: trimming it from both ends can rescan it.
    'non-letters between letters': `a${repeat('@', length - 2)}a`,
  }
}

/** CPU microseconds of `run`, the least over ROUNDS rounds (each round `reps` calls). */
async function leastCpu(run: () => unknown, reps = 1): Promise<number> {
  let least = Number.POSITIVE_INFINITY
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.cpuUsage()
    for (let i = 0; i < reps; i++) await run()
    const used = process.cpuUsage(start)
    least = Math.min(least, used.user + used.system)
  }
  return least / reps
}

/** How many calls make a round of `run` on a normal text take at least 5 ms of CPU (measurable). */
async function repsFor(run: () => unknown): Promise<number> {
  const start = process.cpuUsage()
  await run()
  const used = process.cpuUsage(start)
  return Math.max(1, Math.ceil(5000 / Math.max(1, used.user + used.system)))
}

/** The counted work of `run`. */
async function counted(run: () => unknown) {
  const before = { ...textWork }
  await run()
  return {
    stemmedChars: textWork.stemmedChars - before.stemmedChars,
    splitPoints: textWork.splitPoints - before.splitPoints,
  }
}

describe('work of the text algorithms on worst-case input', () => {
  let t: TestDatabase
  let app: App
  let mentorToken: string
  let hits: SearchHit[]
  // The longest accepted inputs, as the API documents them.
  const max = { message: 0, query: 0, draft: 0, reply: 0 }

  beforeAll(async () => {
    t = await pgliteAdapter.open()
    // Limits off: the requests here measure work, not rates.
    app = (
      await createTestApp(t.database, {
        env: {
          LIMIT_CONVERSATIONS_PER_CLIENT: '0',
          LIMIT_CONVERSATIONS_PER_TENANT: '0',
          LIMIT_MESSAGES_PER_CONVERSATION: '0',
          LIMIT_MESSAGES_PER_TENANT: '0',
          LIMIT_SEARCHES_PER_CLIENT: '0',
          LIMIT_HANDOFFS_PER_CLIENT: '0',
          LIMIT_HANDOFFS_PER_TENANT: '0',
        },
      })
    ).app
    await ingestCorpus({ database: t.database, embedder: createLocalEmbedder(), corpusDir: 'corpus' })
    mentorToken = (await createMentor(t.database, { name: 'Work', tenant: 'default', role: 'admin' })).token
    hits = await search(t.database, createLocalEmbedder(), { query: SENTENCES[0] ?? '', k: 5 })

    const doc = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: Schema }> } }>>
      components: { schemas: Record<string, Schema> }
    }
    const field = (path: string, name: string) => {
      let schema = doc.paths[path]?.post?.requestBody.content['application/json']?.schema
      if (schema?.$ref) schema = doc.components.schemas[schema.$ref.split('/').at(-1) ?? '']
      return schema?.properties?.[name]?.maxLength ?? 0
    }
    max.message = field('/v1/conversations/{id}/messages', 'text')
    max.query = field('/v1/search', 'query')
    max.draft = field('/v1/drafts', 'question')
    max.reply = field('/v1/handoffs/{id}/reply', 'text')
  })
  afterAll(async () => {
    await t?.dispose()
  })

  it('finds the longest accepted inputs in the API’s schemas', () => {
    expect(max).toEqual({ message: 4000, query: 1000, draft: 4000, reply: 8000 })
  })

  it('splits a word of at most MAX_WORD_CHARS characters, at no more than SPLIT_POINTS points', async () => {
    expect(compoundParts('Kompetenzpflicht')).toEqual(['kompetenz', 'pflicht'])
    for (const word of [repeat('ß', max.message), repeat('a', max.message), repeat('Leistungs', 65)])
      expect(await counted(() => compoundParts(word))).toEqual({ stemmedChars: 0, splitPoints: 0 })
    for (const word of [repeat('s', MAX_WORD_CHARS), words(MAX_WORD_CHARS, ['leistungs', 'rat', 'daten'])]) {
      const work = await counted(() => compoundParts(word))
      expect(work.splitPoints).toBeLessThanOrEqual(SPLIT_POINTS)
      expect(work.stemmedChars).toBeLessThanOrEqual(SPLIT_POINTS * 3 * MAX_WORD_CHARS)
    }
  })

  it('counts work linear in the input for expansion, decompounding and chunk scoring', async () => {
    for (const [name, text] of Object.entries({
      normal: normalText(max.message),
      ...worstCases(max.message),
    })) {
      const work = await counted(() => {
        expandQuery(text, 'de')
        for (const word of text.split(/[^\p{L}]+/u)) compoundParts(word)
        embedLocally(text, corpusIdf)
        textTerms(text)
        rerank(hits, { query: text })
        extractiveAnswer(hits)
      })
      // A word of L > 8 letters has at most L - 7 split points; the text is split three times here
      // (expandQuery, the words one by one, and the expansion inside extractiveAnswer).
      expect(work.splitPoints, name).toBeLessThanOrEqual(3 * text.length)
      expect(work.stemmedChars, name).toBeLessThanOrEqual(
        STEMS_PER_CHAR * foldText(text).length + STEMS_FIXED,
      )
    }
  })

  it('costs a worst-case text at most a small factor of a normal one in every text path', async () => {
    const paths: Record<string, { length: number; factor: number; run: (text: string) => unknown }> = {
      router: { length: max.message, factor: ROUTER_FACTOR, run: (text) => routeByRules(text) },
      // Mentor replies are redacted too, as history sent to a model: the longest text there.
      redaction: {
        length: max.reply,
        factor: FUNCTION_FACTOR,
        run: (text) => [redactPersonalData(text), withoutPersonalData(text)],
      },
      expansion: {
        length: max.message,
        factor: FUNCTION_FACTOR,
        run: (text) => [expandQuery(text, 'de'), expandQuery(text, 'en')],
      },
      decompounding: {
        length: max.message,
        factor: FUNCTION_FACTOR,
        run: (text) => text.split(/[^\p{L}]+/u).map((word) => compoundParts(word)),
      },
      'chunk scoring': {
        length: max.message,
        factor: FUNCTION_FACTOR,
        run: (text) => [
          embedLocally(text, corpusIdf),
          textTerms(text),
          rerank(hits, { query: text }),
          extractiveAnswer(hits),
          isFollowUp(text),
        ],
      },
    }
    const over: string[] = []
    for (const [path, { length, factor, run }] of Object.entries(paths)) {
      const normal = normalText(length)
      const reps = await repsFor(() => run(normal))
      const baseline = await leastCpu(() => run(normal), reps)
      for (const [name, text] of Object.entries(worstCases(length))) {
        const ratio = (await leastCpu(() => run(text), reps)) / baseline
        if (ratio > factor) over.push(`${path}, ${name}: ${ratio.toFixed(1)} × a normal text`)
      }
    }
    expect(over).toEqual([])
  }, 120_000)

  it('keeps a follow-up joined with a long question to MAX_STANDALONE_CHARS', async () => {
    const previous = { author: 'user', text: repeat('Wie führen wir KI ein? ', max.message) } as MessageRow
    const question = await standaloneQuestion('Und dazu?', [previous], undefined)
    expect(question.length).toBeLessThanOrEqual(MAX_STANDALONE_CHARS)
    expect(question.startsWith('Wie führen wir KI ein?')).toBe(true)
    expect(question.endsWith(' Und dazu?')).toBe(true)
    const huge = repeat('ß', max.message)
    expect((await standaloneQuestion(huge, [previous], undefined)).length).toBeLessThanOrEqual(
      MAX_STANDALONE_CHARS,
    )
  })

  describe('through the app', () => {
    const json = { 'content-type': 'application/json' }
    const searchFor = async (query: string) => {
      const res = await app.request('/v1/search', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ query }),
      })
      expect(res.status).toBe(200)
      await res.json()
    }
    const conversation = async () =>
      (await (
        await app.request('/v1/conversations', { method: 'POST', headers: json, body: '{}' })
      ).json()) as {
        id: string
        token: string
      }
    const say = async (c: { id: string; token: string }, text: string) => {
      const res = await app.request(`/v1/conversations/${c.id}/messages`, {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${c.token}` },
        body: JSON.stringify({ text }),
      })
      expect(res.status).toBe(200)
      await res.json()
    }
    const draft = async (question: string) => {
      const res = await app.request('/v1/drafts', {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${mentorToken}` },
        body: JSON.stringify({ question }),
      })
      expect(res.status).toBe(200)
      await res.json()
    }

    // Each request: a worst-case text of the longest length against a normal one, counted and in CPU time.
    const requests: Record<string, { length: () => number; send: (text: string) => Promise<void> }> = {
      'POST /v1/search': { length: () => max.query, send: searchFor },
      'a chat message': {
        length: () => max.message,
        send: async (text) => say(await conversation(), text),
      },
      // The second message is a follow-up: searched together with the first, up to MAX_STANDALONE_CHARS.
      'a follow-up to it': {
        length: () => max.message,
        send: async (text) => {
          const c = await conversation()
          await say(c, text)
          await say(c, 'Und dazu?')
        },
      },
      'POST /v1/drafts': { length: () => max.draft, send: draft },
    }

    for (const [request, { length, send }] of Object.entries(requests)) {
      it(`answers ${request} with worst-case text with linear work`, async () => {
        const n = length()
        const baseline = await leastCpu(() => send(normalText(n)))
        const over: string[] = []
        for (const [name, text] of Object.entries(worstCases(n))) {
          const work = await counted(() => send(text))
          expect(work.splitPoints, name).toBeLessThanOrEqual(3 * n)
          expect(work.stemmedChars, name).toBeLessThanOrEqual(
            STEMS_PER_CHAR * foldText(text).length + STEMS_FIXED,
          )
          const ratio = (await leastCpu(() => send(text))) / baseline
          if (ratio > REQUEST_FACTOR) over.push(`${name}: ${ratio.toFixed(1)} × a normal request`)
        }
        expect(over).toEqual([])
      }, 120_000)
    }
  })
})
