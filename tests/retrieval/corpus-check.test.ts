// The corpus check: broken references are errors; unverifiable sources and overdue reviews are
// warnings; `review_by` must come after `reviewed`; the shipped corpus has no errors.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { checkCorpus } from '../../src/retrieval/corpus-check.ts'
import { CorpusError, loadCorpus } from '../../src/retrieval/corpus-loader.ts'

const doc = (id: string, extra: string[], body: string) =>
  [
    '---',
    `id: ${id}`,
    `title: "${id}"`,
    'lang: de',
    'audience: [management]',
    'field: general',
    'phase: basics',
    ...extra,
    '---',
    `# ${id}`,
    '',
    '## Abschnitt',
    '',
    '```questions',
    '- Wo stehen die Termine der KI-Verordnung?',
    '- Welche Pflichten gelten für uns?',
    '- Was muss ein kleiner Betrieb jetzt tun?',
    '```',
    '',
    body,
    '',
  ].join('\n')

describe('checkCorpus', () => {
  let dir: string
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  async function corpus(files: Record<string, string>) {
    dir = await mkdtemp(join(tmpdir(), 'dm-check-'))
    await mkdir(join(dir, 'de'))
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, 'de', `${name}.md`), text)
    return loadCorpus(dir)
  }

  it('finds broken references, unverifiable sources and overdue reviews', async () => {
    const documents = await corpus({
      'ki-fristen': doc(
        'ki-fristen',
        [
          'sources: ["Verordnung (EU) 2024/1689, https://eur-lex.europa.eu/eli/reg/2024/1689/oj"]',
          'reviewed: 2026-06-01',
          'review_by: 2026-11-30',
        ],
        'Die Termine stehen hier.',
      ),
      'ki-pflichten': doc(
        'ki-pflichten',
        [
          'sources: ["Allgemeines Wissen", "BetrVG § 87 Abs. 1 Nr. 6", "Fachpraxis der Arbeitsgestaltung"]',
          'reviewed: 2026-12-01',
        ],
        'Termine: ki-fristen. Mehr im Dokument ki-verbote und (siehe ki-aufsicht). Ein KI-System ist kein Verweis.',
      ),
    })
    const findings = checkCorpus(documents, '2026-12-01')
    expect(findings.filter((f) => f.level === 'error').map((f) => f.problem)).toEqual([
      'refers to "ki-verbote", which is not in the corpus',
      'refers to "ki-aufsicht", which is not in the corpus',
    ])
    expect(findings.filter((f) => f.level === 'warning')).toEqual(
      [
        {
          level: 'warning',
          file: 'de/ki-fristen.md',
          problem: 'review was due on 2026-11-30',
        },
        {
          level: 'warning',
          file: 'de/ki-pflichten.md',
          problem:
            'source "Allgemeines Wissen" names no address, statute, ruling or official act (or "Fachpraxis")',
        },
      ].sort((a, b) => a.file.localeCompare(b.file)),
    )
    // Not due yet the day before.
    expect(checkCorpus(documents, '2026-11-29').some((f) => f.problem.startsWith('review was due'))).toBe(
      false,
    )
  })

  it('warns about sections without questions and refuses invalid questions blocks', async () => {
    const documents = await corpus({
      'ki-a': doc(
        'ki-a',
        ['sources: ["https://example.org"]', 'reviewed: 2026-12-01'],
        '## Ohne Fragen\n\nText.',
      ),
    })
    expect(checkCorpus(documents, '2026-12-01')).toEqual([
      {
        level: 'warning',
        file: 'de/ki-a.md',
        problem: '1 of 2 sections have no questions block (first: "Ohne Fragen")',
      },
    ])
    const invalid = corpus({
      'ki-b': doc(
        'ki-b',
        ['sources: ["https://example.org"]', 'reviewed: 2026-12-01'],
        '## Zu wenig\n\n```questions\n- Nur eine Frage ohne Zeichen\nKein Listenpunkt?\n```\n\nText.',
      ),
    })
    await expect(invalid).rejects.toThrow(CorpusError)
    await expect(invalid).rejects.toThrow(/questions of "Zu wenig": a question ends with "\?" \(question 1\)/)
    await expect(invalid).rejects.toThrow(/needs 3 to 10 questions/)
  })

  it('refuses a review_by that is not after reviewed', async () => {
    await expect(
      corpus({
        'ki-a': doc(
          'ki-a',
          ['sources: ["https://example.org"]', 'reviewed: 2026-12-01', 'review_by: 2026-11-01'],
          'x',
        ),
      }),
    ).rejects.toThrow(CorpusError)
  })

  it('finds no errors in the shipped corpus', async () => {
    const findings = checkCorpus(await loadCorpus('corpus'), '2026-12-01')
    expect(findings.filter((f) => f.level === 'error')).toEqual([])
  })
})
