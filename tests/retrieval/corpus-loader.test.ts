// The corpus checks: every front-matter problem reported at once, with file, field and problem.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CorpusError, loadCorpus } from '../../src/retrieval/corpus-loader.ts'

const FIXTURES = new URL('../fixtures/corpus', import.meta.url).pathname

describe('the shipped corpus', () => {
  it('has at least 45 German documents and 15 English versions of them', async () => {
    const documents = await loadCorpus('corpus')
    const german = documents.filter((d) => d.meta.lang === 'de')
    const english = documents.filter((d) => d.meta.lang === 'en')
    expect(german.length).toBeGreaterThanOrEqual(45)
    expect(english.length).toBeGreaterThanOrEqual(15)
    const germanIds = new Set(german.map((d) => d.meta.id))
    for (const doc of english) expect(germanIds.has(doc.meta.translation_of ?? '')).toBe(true)
    for (const phase of ['recognise', 'evaluate', 'introduce', 'basics']) {
      expect(german.some((d) => d.meta.phase === phase)).toBe(true)
    }
    for (const field of ['leadership', 'equal_opportunities', 'health', 'knowledge_competence']) {
      expect(german.some((d) => d.meta.field === field)).toBe(true)
    }
  })
})

describe('loadCorpus with bad front matter', () => {
  let dir: string
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('lists every problem in every file at once', async () => {
    dir = await mkdtemp(join(tmpdir(), 'dm-corpus-'))
    await cp(FIXTURES, dir, { recursive: true })
    await writeFile(
      join(dir, 'de', 'kaputt.md'),
      [
        '---',
        'id: kaputt',
        'title: Ka',
        'lang: fr',
        'audience: []',
        'field: health',
        'phase: later',
        'sources: [x]',
        'reviewed: gestern',
        'colour: blue',
        '---',
        '# Kaputt',
        '',
      ].join('\n'),
    )
    await writeFile(join(dir, 'de', 'ohne-kopf.md'), '# Kein Front Matter\n')
    await writeFile(
      join(dir, 'en', 'orphan-en.md'),
      [
        '---',
        'id: orphan-en',
        'title: An orphan',
        'lang: en',
        'translation_of: missing',
        'audience: [employees]',
        'field: health',
        'phase: basics',
        'sources: [x]',
        'reviewed: 2026-11-24',
        '---',
        '# An orphan',
        '',
      ].join('\n'),
    )
    const error = await loadCorpus(dir).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CorpusError)
    const problems = (error as CorpusError).problems.map((p) => `${p.file} | ${p.field}`)
    expect(problems).toEqual(
      expect.arrayContaining([
        'de/kaputt.md | title',
        'de/kaputt.md | lang',
        'de/kaputt.md | audience',
        'de/kaputt.md | phase',
        'de/kaputt.md | reviewed',
        'de/kaputt.md | front matter',
        'de/ohne-kopf.md | front matter',
        'en/orphan-en.md | translation_of',
      ]),
    )
    expect((error as Error).message).toContain('de/kaputt.md: reviewed: must be a date like 2026-11-24')
    expect((error as Error).message).toContain('nothing was ingested')
  })
})

describe('loadCorpus and the corpus notes', () => {
  let dir: string
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('reads no document from FORMAT.md, README.md or the review protocol REVIEW.md', async () => {
    dir = await mkdtemp(join(tmpdir(), 'dm-corpus-'))
    await cp(FIXTURES, dir, { recursive: true })
    const before = await loadCorpus(dir)
    for (const name of ['FORMAT.md', 'README.md', 'REVIEW.md']) {
      await writeFile(join(dir, name), `# ${name}\n\n| document | date |\n|---|---|\n`)
    }
    const after = await loadCorpus(dir)
    expect(after.map((d) => d.path)).toEqual(before.map((d) => d.path))
  })
})
