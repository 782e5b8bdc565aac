// Reads corpus/<lang>/*.md, validates every front matter and reports all problems at once.
import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { basename, join, relative } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { sectionQuestions } from './chunker.ts'
import { type FrontMatter, frontMatterSchema, sectionQuestionsSchema } from './corpus-schema.ts'

export interface CorpusDocument {
  meta: FrontMatter
  /** The Markdown after the front matter. */
  body: string
  /** Path relative to the corpus directory, e.g. `de/glossar.md`. */
  path: string
  /** Hash of the whole file; a change anywhere means the document is re-ingested. */
  contentHash: string
}

export interface CorpusProblem {
  file: string
  field: string
  problem: string
}

export class CorpusError extends Error {
  override name = 'CorpusError'
  readonly problems: CorpusProblem[]
  constructor(problems: CorpusProblem[]) {
    super(
      `The corpus has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was ingested:\n` +
        problems.map((p) => `  ${p.file}: ${p.field}: ${p.problem}`).join('\n'),
    )
    this.problems = problems
  }
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/

/** Parses one file; returns the document or the problems found in it. */
export function parseCorpusFile(
  path: string,
  raw: string,
): { document: CorpusDocument; problems: [] } | { document?: undefined; problems: CorpusProblem[] } {
  const match = FRONT_MATTER.exec(raw)
  if (!match) {
    return {
      problems: [{ file: path, field: 'front matter', problem: 'missing: the file must start with ---' }],
    }
  }
  let data: unknown
  try {
    data = parseYaml(match[1] ?? '')
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : 'unreadable'
    return { problems: [{ file: path, field: 'front matter', problem: `not valid YAML (${reason})` }] }
  }
  const result = frontMatterSchema.safeParse(data)
  if (!result.success) {
    return {
      problems: result.error.issues.map((issue) => ({
        file: path,
        field: issue.path.length
          ? issue.path.join('.')
          : issue.code === 'unrecognized_keys'
            ? 'front matter'
            : '(root)',
        problem: issue.message,
      })),
    }
  }
  const meta = result.data
  const problems: CorpusProblem[] = []
  const expectedId = basename(path, '.md')
  if (meta.id !== expectedId)
    problems.push({ file: path, field: 'id', problem: `must equal the file name "${expectedId}"` })
  const folder = path.split('/')[0]
  if (folder !== meta.lang)
    problems.push({ file: path, field: 'lang', problem: `is "${meta.lang}" but the file is in ${folder}/` })
  const body = match[2] ?? ''
  if (!/^#\s+\S/m.test(body))
    problems.push({ file: path, field: 'body', problem: 'needs a "# Title" heading' })
  for (const section of sectionQuestions(body)) {
    if (section.questions.length === 0) continue
    const checked = sectionQuestionsSchema.safeParse(section.questions)
    if (checked.success) continue
    for (const issue of checked.error.issues) {
      const at = typeof issue.path[0] === 'number' ? ` (question ${issue.path[0] + 1})` : ''
      problems.push({
        file: path,
        field: `questions of "${section.heading}"`,
        problem: `${issue.message}${at}`,
      })
    }
  }
  if (problems.length) return { problems }
  const contentHash = createHash('sha256').update(raw).digest('hex')
  return { document: { meta, body, path, contentHash }, problems: [] }
}

/** Loads and checks the whole corpus; throws CorpusError listing every problem in every file. */
export async function loadCorpus(corpusDir: string): Promise<CorpusDocument[]> {
  const files = await listMarkdown(corpusDir)
  const documents: CorpusDocument[] = []
  const problems: CorpusProblem[] = []
  for (const file of files) {
    const path = relative(corpusDir, file).split('\\').join('/')
    const parsed = parseCorpusFile(path, await readFile(file, 'utf8'))
    if (parsed.document) documents.push(parsed.document)
    problems.push(...parsed.problems)
  }
  problems.push(...crossCheck(documents))
  if (problems.length) throw new CorpusError(problems)
  if (documents.length === 0)
    throw new CorpusError([{ file: corpusDir, field: '(corpus)', problem: 'holds no documents' }])
  return documents
}

function crossCheck(documents: CorpusDocument[]): CorpusProblem[] {
  const problems: CorpusProblem[] = []
  const byId = new Map<string, CorpusDocument>()
  for (const doc of documents) {
    const seen = byId.get(doc.meta.id)
    if (seen)
      problems.push({ file: doc.path, field: 'id', problem: `"${doc.meta.id}" is also used by ${seen.path}` })
    byId.set(doc.meta.id, doc)
  }
  for (const doc of documents) {
    const original = doc.meta.translation_of
    if (original && !byId.has(original)) {
      problems.push({
        file: doc.path,
        field: 'translation_of',
        problem: `names "${original}", which is not in the corpus`,
      })
    }
  }
  return problems
}

async function listMarkdown(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const full = join(dir, entry.name)
      if (entry.isDirectory()) return listMarkdown(full)
      return entry.isFile() &&
        entry.name.endsWith('.md') &&
        entry.name !== 'FORMAT.md' &&
        entry.name !== 'README.md' &&
        entry.name !== 'REVIEW.md'
        ? [full]
        : []
    }),
  )
  return nested.flat().sort()
}
