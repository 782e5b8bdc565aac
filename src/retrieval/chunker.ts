// Heading-aware Markdown chunking: one chunk per section, long sections split by LangChain's splitter.
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters'

/**
 * Sizes in characters. Corpus sections are written at 80–250 words (about 550–1,700 characters of
 * German), and a section is the unit a reader should see as a source, so 1,500 keeps nearly every
 * section whole while five chunks still fit a prompt in about 2,000 tokens. Longer sections are split
 * at paragraph and list boundaries; the 200-character overlap keeps a list item that straddles a cut.
 */
export const CHUNK_SIZE = 1500
export const CHUNK_OVERLAP = 200
/** Bump when chunking changes, so that ingestion re-chunks unchanged files. */
export const CHUNKER_VERSION = 'md-sections-v2'

export interface Chunk {
  id: string
  documentId: string
  position: number
  /** "Title › Section › Subsection": shown with citations and indexed with the text. */
  heading: string
  text: string
  /** The questions the section says it answers (its `questions` block); on its first chunk only. */
  questions: string[]
}

interface Section {
  path: string[]
  lines: string[]
  questions: string[]
}

const HEADING = /^(#{1,3})\s+(.+?)\s*#*\s*$/
const FENCE = /^\s*(```|~~~)/
const QUESTIONS_FENCE = /^\s*```questions\s*$/
const QUESTION_ITEM = /^\s*-\s+(.*\S)\s*$/

const splitter = RecursiveCharacterTextSplitter.fromLanguage('markdown', {
  chunkSize: CHUNK_SIZE,
  chunkOverlap: CHUNK_OVERLAP,
})

const HEADING_SEPARATOR = ' › '

function sections(markdown: string, title: string): Section[] {
  const result: Section[] = []
  let current: Section = { path: [title], lines: [], questions: [] }
  let fence: 'code' | 'questions' | null = null
  const stack: string[] = []
  for (const line of markdown.split(/\r?\n/)) {
    if (fence === 'questions') {
      if (FENCE.test(line)) fence = null
      else {
        // A line that is not a list item is kept as it is, so that validation reports it.
        if (line.trim())
          current.questions.push(QUESTION_ITEM.exec(line)?.[1] ?? `(not a "- " item) ${line.trim()}`)
      }
      continue
    }
    if (fence === null && QUESTIONS_FENCE.test(line)) {
      fence = 'questions'
      continue
    }
    if (FENCE.test(line)) fence = fence ? null : 'code'
    const heading = fence ? null : HEADING.exec(line)
    if (!heading) {
      current.lines.push(line)
      continue
    }
    result.push(current)
    const level = heading[1]?.length ?? 1
    const text = heading[2] ?? ''
    if (level === 1) {
      stack.length = 0
      current = { path: [title], lines: [], questions: [] }
      continue
    }
    stack.length = Math.max(0, level - 2)
    stack[level - 2] = text
    current = { path: [title, ...stack.filter(Boolean)], lines: [], questions: [] }
  }
  result.push(current)
  return result
}

export async function chunkDocument(documentId: string, title: string, markdown: string): Promise<Chunk[]> {
  const chunks: Chunk[] = []
  for (const section of sections(markdown, title)) {
    const text = section.lines.join('\n').trim()
    if (!text) continue
    const pieces = text.length <= CHUNK_SIZE ? [text] : await splitter.splitText(text)
    for (const [i, piece] of pieces.entries()) {
      const position = chunks.length
      chunks.push({
        id: `${documentId}#${position}`,
        documentId,
        position,
        heading: section.path.join(HEADING_SEPARATOR),
        text: piece.trim(),
        questions: i === 0 ? section.questions : [],
      })
    }
  }
  return chunks
}

/** The sections of a document with their questions blocks, for validation (corpus-loader). */
export function sectionQuestions(
  markdown: string,
): Array<{ heading: string; level: number; questions: string[] }> {
  return sections(markdown, '')
    .filter((section) => section.path.length > 1)
    .map((section) => ({
      heading: section.path.at(-1) ?? '',
      level: section.path.length,
      questions: section.questions,
    }))
}

/** What the embedder sees: the heading path gives a short section its context. */
export function embeddingText(chunk: Pick<Chunk, 'heading' | 'text'>): string {
  return `${chunk.heading}\n${chunk.text}`
}
