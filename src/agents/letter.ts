// Drafts as letters from a person: a greeting, the direct answer to the question first, the why with
// its sources ([n]), next steps, and the mentor's name as signature. The source list itself is not in
// the text: it travels as the reply's citations, and every surface shows it once under the reply.
import type { Citation } from '../conversations/repository.ts'
import type { SearchHit } from '../retrieval/search.ts'
import { citationOf } from './citations.ts'
import { sectionAnswer, splitSentences } from './extractive.ts'
import { type Locale, t } from './texts.ts'

/** Passages besides the answering one that give the offline letter its "why" (one sentence each). */
const WHY_PASSAGES = 2
// A "why" sentence shorter than this says too little alone; the next sentence joins it.
const SHORT_SENTENCE = 80

export interface LetterFrame {
  /** The mentor's display name: the letter's signature. */
  signer: string
  /** The person's name, when the conversation has one. */
  recipient?: string | undefined
}

/** The letter around a body: greeting first, then the body, the closing and the signature last. */
export function composeLetter(locale: Locale, body: string, frame: LetterFrame): string {
  const text = t(locale).letter
  const name = frame.recipient?.trim()
  const greeting = name ? text.greetingNamed.replace('{name}', name) : text.greeting
  const middle = body.trim()
  return [greeting, ...(middle ? [middle] : []), `${text.closing}\n${frame.signer.trim()}`].join('\n\n')
}

const list = (heading: string, items: readonly string[]) =>
  `${heading}\n${items.map((item) => `- ${item}`).join('\n')}`

/** The marker goes at the end of the answer's first block, before a colon that introduces a list. */
function cite(block: string, n: number): string {
  const marker = `[${n}]`
  return /:\s*$/.test(block) ? block.replace(/\s*:\s*$/, ` ${marker}:`) : `${block} ${marker}`
}

/** The opening sentences of a section that can stand as a reason, or nothing (a list, a bare intro). */
function reasonOf(hit: SearchHit): string | undefined {
  const first = sectionAnswer(hit.text).split('\n\n')[0] ?? ''
  if (!first || /^(- |\d+\. )/.test(first)) return undefined
  const sentences = splitSentences(first).filter((sentence) => !/:\s*$/.test(sentence))
  const [one, two] = sentences
  if (!one) return undefined
  return one.length < SHORT_SENTENCE && two ? `${one} ${two}` : one
}

/**
 * The offline letter body from the ranked passages (no model): the best passage that has an answer
 * answers first ([1]); up to two other sections give the why, one sentence each ([2], [3]); then the
 * next steps. Empty when no passage has an answer to give.
 */
export function extractiveLetterBody(
  hits: readonly SearchHit[],
  locale: Locale,
): { body: string; citations: Citation[] } {
  const text = t(locale).letter
  const best = hits.findIndex((hit) => sectionAnswer(hit.text))
  const answering = hits[best]
  if (!answering) return { body: '', citations: [] }
  const [opening = '', ...rest] = sectionAnswer(answering.text).split('\n\n')
  const citations = [citationOf(answering, 1)]
  const reasons: string[] = []
  const seen = new Set([`${answering.documentId}\u0000${answering.heading}`])
  for (const hit of hits) {
    if (reasons.length === WHY_PASSAGES) break
    const key = `${hit.documentId}\u0000${hit.heading}`
    if (seen.has(key)) continue
    seen.add(key)
    const reason = reasonOf(hit)
    if (!reason) continue
    citations.push(citationOf(hit, citations.length + 1))
    reasons.push(`${reason} [${citations.length}]`)
  }
  const body = [
    cite(opening, 1),
    ...rest,
    ...(reasons.length ? [list(text.why, reasons)] : []),
    list(text.nextSteps, text.steps),
  ].join('\n\n')
  return { body, citations }
}

// What a model may write despite being told not to: a salutation, a closing with a name, a list of
// sources. The letter adds its own greeting and signature, and the sources travel as citations.
const SALUTATION =
  /^(guten (tag|morgen|abend)|hallo|liebe[rs]?|sehr geehrte[rs]?|hi|hello|dear|good (morning|afternoon|evening))\b[^\n]{0,60}[,!]?$/i
const CLOSING =
  /^((viele|beste|freundliche|herzliche|liebe) grüße|mit (freundlichen|besten) grüßen|(kind|best|warm) regards|best wishes|regards|sincerely|yours)\b/i
const SOURCE_LIST = /^(#+\s*)?(\*\*)?(quellen|sources|references|literatur)(\*\*)?\s*:?(\*\*)?\s*$/i
const LIST_LINE = /^\s*(\[\d{1,3}\]|[-*]|\d+[.)])\s*/

/** A model's letter body without the salutation, closing, signature and source list it may have written. */
export function tidyLetterBody(text: string): string {
  const lines = text.trim().split('\n')
  while (lines.length && !lines[0]?.trim()) lines.shift()
  if (lines.length > 1 && SALUTATION.test(lines[0]?.trim() ?? '')) lines.shift()
  const closing = lines.findIndex((line, i) => i > 0 && CLOSING.test(line.trim()))
  if (closing > 0) lines.length = closing
  // A trailing source list: its heading and the list lines after it.
  const sources = lines.findLastIndex((line) => SOURCE_LIST.test(line.trim()))
  if (sources > 0 && lines.slice(sources + 1).every((line) => !line.trim() || LIST_LINE.test(line)))
    lines.length = sources
  return lines.join('\n').trim()
}
