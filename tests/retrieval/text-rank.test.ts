// Full-text ranking in process gives Postgres' own numbers: the rows `tsv @@ query` matches and
// `ts_rank(tsv, query, 1)` of each, bit for bit, for texts with repeated words, all four weight classes
// and both languages; the text forms of tsvectors and tsqueries are read as Postgres writes them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/db/database.ts'
import { createPgliteDatabase } from '../../src/db/pglite.ts'
import { orOfLexemes, parseTsvector, rankRows, textIndex } from '../../src/retrieval/text-rank.ts'

const TEXTS: Array<[string, string]> = [
  ['german', 'Der Betriebsrat hat bei der Einführung von KI ein Mitbestimmungsrecht.'],
  ['german', 'Betriebsrat, Betriebsrat, Betriebsrat: dreimal genannt, und die Einführung einmal.'],
  ['german', 'Schulungen zur KI-Kompetenz: Schulung, Nachweis, Dokumentation der Schulungen.'],
  ['german', 'Ein kurzer Satz ohne die gesuchten Wörter.'],
  ['english', 'Works councils have a say when AI tools monitor employees.'],
  ['english', 'Training, training and more training: literacy duties of deployers under the AI Act.'],
]

describe('full-text ranking in process', () => {
  let database: Database
  beforeAll(async () => {
    database = await createPgliteDatabase()
  })
  afterAll(async () => {
    await database.close()
  })

  // Each text once as it is and once with its words in all four weight classes.
  const tsvectors = async () =>
    (
      await database.query<{ config: string; tsv: string }>(
        `select config, tsv::text as tsv from (
           select t.config, t.n, 0 as variant, to_tsvector(t.config::regconfig, t.text) as tsv
           from unnest($1::text[], $2::text[]) with ordinality as t(config, text, n)
           union all
           select t.config, t.n, 1, setweight(to_tsvector(t.config::regconfig, left(t.text, 20)), 'A')
             || setweight(to_tsvector(t.config::regconfig, t.text), 'C')
             || setweight(to_tsvector(t.config::regconfig, right(t.text, 25)), 'B')
             || to_tsvector(t.config::regconfig, t.text)
           from unnest($1::text[], $2::text[]) with ordinality as t(config, text, n)) v
         order by n, variant`,
        [TEXTS.map(([config]) => config), TEXTS.map(([, text]) => text)],
      )
    ).rows

  it.each([
    ['german', 'Betriebsrat or Einführung or Schulung'],
    ['german', 'Nachweis or Dokumentation or Kompetenz or Betriebsrat or Betriebsrat'],
    ['english', 'training or council or employees'],
    ['english', 'deployers'],
  ])('matches and ranks as Postgres does (%s: %s)', async (config, terms) => {
    const rows = await tsvectors()
    const { rows: expected } = await database.query<{ row: number; rank: number }>(
      `select (n - 1)::int as row, ts_rank(tsv::tsvector, q, 1)::float8 as rank
       from unnest($1::text[], $4::text[]) with ordinality as v(tsv, config, n),
            websearch_to_tsquery($2::regconfig, $3) q
       where v.config = $2::text and tsv::tsvector @@ q order by n`,
      [rows.map((r) => r.tsv), config, terms, rows.map((r) => r.config)],
    )
    const { rows: query } = await database.query<{ q: string }>(
      'select websearch_to_tsquery($1::regconfig, $2)::text as q',
      [config, terms],
    )
    const lexemes = orOfLexemes(query[0]?.q ?? '')
    if (!lexemes) throw new Error('expected an OR of lexemes')
    const ranked = rankRows(textIndex(rows.map((r) => r.tsv)), lexemes, (row) => rows[row]?.config !== config)
    expect(expected.length).toBeGreaterThan(1)
    expect([...ranked].sort(([a], [b]) => a - b)).toEqual(expected.map((e) => [e.row, e.rank]))
  })

  it('reads the text forms, and leaves queries that are more than an OR of lexemes to SQL', () => {
    expect(parseTsvector("'betriebsrat':2,5A 'it''s':7 'back\\\\slash' 'ki':3B")).toEqual([
      { lexeme: 'betriebsrat', weights: [0, 3] },
      { lexeme: "it's", weights: [0] },
      { lexeme: 'back\\slash', weights: [] },
      { lexeme: 'ki', weights: [2] },
    ])
    expect(orOfLexemes("'betriebsrat' | 'schulung' | 'it''s'")).toEqual(['betriebsrat', 'schulung', "it's"])
    expect(orOfLexemes('')).toEqual([])
    expect(orOfLexemes("'ki' <-> 'verordnung'")).toBeNull()
    expect(orOfLexemes("'ki' & 'verordnung'")).toBeNull()
    expect(orOfLexemes("'schul':*")).toBeNull()
    expect(orOfLexemes("'schul':A | 'ki'")).toBeNull()
    expect(orOfLexemes("( 'a' | 'b' ) | 'c'")).toBeNull()
  })
})
