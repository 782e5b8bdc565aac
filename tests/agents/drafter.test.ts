// Drafts as letters, on a real database with the shipped corpus: greeting first, the direct answer
// with its source, the why, next steps, the mentor's name last, and no source list in the text. Both
// paths: offline (no model) and a model faked at the network edge in the OpenAI wire format.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { draftAnswer, questionToDraft } from '../../src/agents/drafter.ts'
import { tidyLetterBody } from '../../src/agents/letter.ts'
import { createChatModel } from '../../src/agents/models.ts'
import { loadConfig } from '../../src/config.ts'
import { migrate } from '../../src/db/migrate.ts'
import { readMigrations } from '../../src/db/migration-files.ts'
import { createLocalEmbedder } from '../../src/retrieval/embedders/local-embedder.ts'
import { ingestCorpus } from '../../src/retrieval/ingest.ts'
import { pgliteAdapter, type TestDatabase } from '../helpers/databases.ts'
import { mockNetwork } from '../helpers/mock-network.ts'
import { type ChatCall, chatHandler } from '../helpers/openai-mock.ts'

// The corpus documents that describe this service (about_this_service: true).
const SERVICE_DOCUMENTS = [
  'grenzen-der-beratung',
  'digital-mentor-rolle',
  'grenzen-der-beratung-en',
  'digital-mentor-rolle-en',
]

const embedder = createLocalEmbedder()
let t: TestDatabase

beforeAll(async () => {
  t = await pgliteAdapter.open()
  await migrate(t.database, await readMigrations())
  await ingestCorpus({ database: t.database, embedder, corpusDir: 'corpus' })
})
afterAll(async () => {
  await t.dispose()
})

type Draft = Awaited<ReturnType<typeof draftAnswer>>

/** The letter's shape: greeting, body, closing, signature; the markers name the citations, in order. */
function expectLetter(draft: Draft, shape: { greeting: string; closing: string; signer: string }) {
  const lines = draft.text.split('\n')
  expect(lines[0]).toBe(shape.greeting)
  expect(lines.at(-2)).toBe(shape.closing)
  expect(lines.at(-1)).toBe(shape.signer)
  const markers = [...new Set([...draft.text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])))]
  expect(markers.sort()).toEqual(draft.citations.map((c) => c.n))
  // The sources travel as citations and are listed once, under the reply: never in the text.
  for (const citation of draft.citations) expect(draft.text).not.toContain(citation.title)
  expect(draft.text).not.toMatch(/^(Quellen|Sources|Mehr dazu|More on this)\b/m)
}

describe('offline drafts (no model)', () => {
  it('writes a German letter: greeting, the answer first, why, next steps, signature', async () => {
    const draft = await draftAnswer(
      { database: t.database, embedder },
      {
        question: 'Muss unser Betriebsrat der Einführung von KI zustimmen?',
        lang: 'de',
        signer: 'Anna Berg',
      },
    )
    expect(draft.mode).toBe('extractive')
    expectLetter(draft, { greeting: 'Guten Tag,', closing: 'Viele Grüße', signer: 'Anna Berg' })
    const paragraphs = draft.text.split('\n\n')
    // Right after the greeting: the answer to the question asked, with its source.
    expect(paragraphs[1]).toMatch(/Betriebsrat/)
    expect(paragraphs[1]).toMatch(/\[1\]/)
    const why = draft.text.indexOf('\nWarum:\n')
    const next = draft.text.indexOf('\nNächste Schritte:\n')
    expect(why).toBeGreaterThan(draft.text.indexOf('[1]'))
    expect(next).toBeGreaterThan(why)
    expect(draft.citations.length).toBeGreaterThan(1)
  })

  it('writes an English letter for an English conversation, by name when one is known', async () => {
    const draft = await draftAnswer(
      { database: t.database, embedder },
      {
        question: 'How do we involve staff when introducing a chatbot?',
        lang: 'en',
        signer: 'Ben Kurz',
        recipient: 'Sam',
      },
    )
    expectLetter(draft, { greeting: 'Hello Sam,', closing: 'Kind regards', signer: 'Ben Kurz' })
    expect(draft.text).toContain('\nNext steps:\n')
    expect(draft.citations.every((c) => c.documentId.endsWith('-en'))).toBe(true)
  })

  it('never drafts from the passages about this service when the question is not about it', async () => {
    // Asking for a person draws only the sections on how this service hands over; they are no answer.
    const draft = await draftAnswer(
      { database: t.database, embedder },
      { question: 'Ich möchte mit einem Mentor sprechen', lang: 'de', signer: 'Anna Berg' },
    )
    expect(draft.citations.filter((c) => SERVICE_DOCUMENTS.includes(c.documentId))).toEqual([])
    expectLetter(draft, { greeting: 'Guten Tag,', closing: 'Viele Grüße', signer: 'Anna Berg' })
    // A question about the service may use them.
    const about = await draftAnswer(
      { database: t.database, embedder },
      { question: 'Was kann der Digital-Mentor?', lang: 'de', signer: 'Anna Berg' },
    )
    expect(about.citations.some((c) => SERVICE_DOCUMENTS.includes(c.documentId))).toBe(true)
  })

  it('drafts for the question the person asked, not their request for a person', () => {
    expect(
      questionToDraft([
        'Muss unser Betriebsrat der KI-Einführung zustimmen?',
        'Ich möchte mit einem Menschen sprechen',
      ]),
    ).toBe('Muss unser Betriebsrat der KI-Einführung zustimmen?')
    // A request for a person that also asks something is the question.
    expect(
      questionToDraft([
        'Was ist KI?',
        'Ich möchte mit einem Menschen sprechen, mein Chef will mich mit KI überwachen',
      ]),
    ).toBe('Ich möchte mit einem Menschen sprechen, mein Chef will mich mit KI überwachen')
    expect(questionToDraft(['Mentor'])).toBe('Mentor')
    expect(questionToDraft([])).toBeUndefined()
  })
})

describe('drafts with a model (OpenAI-compatible endpoint faked by msw)', () => {
  const model = createChatModel(loadConfig({ OPENAI_API_KEY: 'sk-test', MODEL_MAX_RETRIES: '0' }))

  it('wraps the generated body in the letter and drops the greeting, source list and sign-off it wrote', async () => {
    const calls: ChatCall[] = []
    // What a model writes despite the prompt: its own salutation, a source list, a sign-off.
    const written = [
      'Hallo,\n\n',
      'Ja: Wenn das KI-Werkzeug Verhalten oder Leistung überwachen kann, bestimmt der Betriebsrat mit [1].\n\n',
      'Warum:\n- Die Mitbestimmung gilt schon, wenn das System zur Überwachung geeignet ist [1].\n',
      '- Ohne Einigung entscheidet die Einigungsstelle [2].\n\n',
      'Nächste Schritte:\n- Den Betriebsrat früh informieren.\n- Eine Betriebsvereinbarung vorbereiten.\n\n',
      'Quellen:\n[1] KI im Betriebsverfassungsgesetz\n[2] Mitbestimmung bei KI\n\n',
      'Viele Grüße\nIhr Digital-Mentor',
    ]
    mockNetwork.use(chatHandler({ answer: () => ({ pieces: written }) }, calls))
    const draft = await draftAnswer(
      { database: t.database, embedder, model },
      {
        question: 'Muss unser Betriebsrat der Einführung von KI zustimmen?',
        lang: 'de',
        signer: 'Anna Berg',
      },
    )
    expect(draft.mode).toBe('generated')
    expectLetter(draft, { greeting: 'Guten Tag,', closing: 'Viele Grüße', signer: 'Anna Berg' })
    expect(draft.text.split('\n\n')[1]).toMatch(/^Ja: /)
    expect(draft.text).not.toContain('Hallo')
    expect(draft.text).not.toContain('Ihr Digital-Mentor')
    expect(draft.citations.map((c) => c.n)).toEqual([1, 2])
    // The prompt asks for the letter's body and gives only passages that are not about the service.
    const prompt = calls.find((call) => call.kind === 'answer')?.body.messages ?? []
    expect(prompt[0]?.content).toMatch(/direkte Antwort auf die Frage/)
    expect(prompt[0]?.content).toMatch(/Keine Anrede, keine Grußformel, keine Unterschrift/)
    expect(prompt[1]?.content).toMatch(/Frage der Person: Muss unser Betriebsrat/)
    expect(prompt[1]?.content).not.toMatch(/Was der Digital-Mentor kann/)
  })

  it('writes the English letter when the model fails, from the passages', async () => {
    mockNetwork.use(chatHandler({ answer: () => ({ status: 500 }) }))
    const draft = await draftAnswer(
      { database: t.database, embedder, model },
      { question: 'How do we involve staff when introducing a chatbot?', lang: 'en', signer: 'Ben Kurz' },
    )
    expect(draft).toMatchObject({ mode: 'extractive', flags: ['model_fallback'] })
    expectLetter(draft, { greeting: 'Hello,', closing: 'Kind regards', signer: 'Ben Kurz' })
  })
})

describe('tidyLetterBody', () => {
  it('keeps a body that has no salutation, closing or source list as it is', () => {
    const body = 'Ja, das geht [1].\n\nWarum:\n- Weil es so ist [1].\n\nNächste Schritte:\n- Fragen.'
    expect(tidyLetterBody(body)).toBe(body)
  })
  it('drops an English salutation, a markdown source heading and a sign-off', () => {
    expect(
      tidyLetterBody(
        'Dear Sam,\nYes [1].\n\n**Sources:**\n- [1] A guide\n\nBest regards,\nThe Digital-Mentor',
      ),
    ).toBe('Yes [1].')
  })
})
