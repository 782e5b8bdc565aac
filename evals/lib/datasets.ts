// Eval datasets: JSONL files, each line checked by a zod schema; bad lines are reported with file and line.
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { RouteClass } from '../../src/agents/router/route-class.ts'

export const retrievalCase = z.strictObject({
  id: z.string().min(1),
  question: z.string().min(3),
  lang: z.enum(['de', 'en']),
  relevant: z.array(z.string().min(1)).min(1),
})
export type RetrievalCase = z.infer<typeof retrievalCase>

/** A question with the corpus sections that answer it, or none ("not covered"). */
export const questionCase = z.strictObject({
  id: z.string().min(1),
  lang: z.enum(['de', 'en']),
  role: z.enum(['management', 'employees', 'works_council', 'consultants', 'unknown']),
  question: z.string().min(3),
  /** Where a real question was found (its address). */
  source_url: z.url().optional(),
  covered: z.boolean(),
  /** Sections that answer it; without `section`, any section of the document (the dev split). */
  gold: z.array(z.strictObject({ doc: z.string().min(1), section: z.string().min(1).optional() })),
  borderline: z.boolean().optional(),
  note: z.string().optional(),
})
export type QuestionCase = z.infer<typeof questionCase>

export const routingCase = z.strictObject({
  id: z.string().min(1),
  text: z.string().min(1),
  lang: z.enum(['de', 'en']),
  expected: RouteClass,
  border: z.boolean(),
  note: z.string().optional(),
  /** Where a real question was found (its address), or `authored`. */
  source: z.string().optional(),
})
export type RoutingCase = z.infer<typeof routingCase>

/** A regular expression source, matched case-insensitively against the reply. */
const pattern = z
  .string()
  .min(1)
  .refine((source) => {
    try {
      new RegExp(source, 'iu')
      return true
    } catch {
      return false
    }
  }, 'not a valid regular expression')

/** What one reply must (and must not) be. */
export const replyExpectation = z.strictObject({
  /** The route the guardrails must take; handoff classes mean a human takes over. */
  route: RouteClass.default('answer'),
  /** Documents the reply should cite (expected-citation recall); empty when any source will do. */
  cites: z.array(z.string().min(1)).default([]),
  /** Facts that must appear: each a pattern, alternatives with `|`. */
  facts: z.array(pattern).default([]),
  /** What must not appear (leaked instructions, promises, personal data, another tenant's words). */
  forbidden: z.array(pattern).default([]),
})
export type ReplyExpectation = z.infer<typeof replyExpectation>

const turn = z.strictObject({ text: z.string().min(1).max(4000), expect: replyExpectation })

/** A single question and what its answer must be. */
export const answerCase = z.strictObject({
  id: z.string().min(1),
  lang: z.enum(['de', 'en']),
  question: z.string().min(1).max(4000),
  expect: replyExpectation,
  note: z.string().optional(),
})
export type AnswerCase = z.infer<typeof answerCase>

/** A conversation: every turn has its own expectation (follow-ups, a drift into a handoff topic). */
export const conversationCase = z.strictObject({
  id: z.string().min(1),
  lang: z.enum(['de', 'en']),
  turns: z.array(turn).min(2),
  note: z.string().optional(),
})
export type ConversationCase = z.infer<typeof conversationCase>

export const ATTACKS = [
  'injection_question',
  'injection_corpus',
  'handoff_evasion',
  'legal_advice',
  'personal_data',
] as const

/** An attack on the mentor; `secrets` are strings that must never reach a model request. */
export const adversarialCase = answerCase.extend({
  attack: z.enum(ATTACKS),
  secrets: z.array(z.string().min(1)).default([]),
})
export type AdversarialCase = z.infer<typeof adversarialCase>

export class DatasetError extends Error {
  override name = 'DatasetError'
}

export async function readJsonl<T>(file: string, schema: z.ZodType<T>): Promise<T[]> {
  const lines = (await readFile(file, 'utf8')).split('\n')
  const rows: T[] = []
  const problems: string[] = []
  lines.forEach((line, index) => {
    if (!line.trim()) return
    let data: unknown
    try {
      data = JSON.parse(line)
    } catch {
      problems.push(`${file}:${index + 1}: not valid JSON`)
      return
    }
    const result = schema.safeParse(data)
    if (result.success) rows.push(result.data)
    else {
      for (const issue of result.error.issues) {
        problems.push(`${file}:${index + 1}: ${issue.path.join('.') || '(line)'}: ${issue.message}`)
      }
    }
  })
  if (problems.length) throw new DatasetError(`Invalid dataset lines:\n${problems.join('\n')}`)
  return rows
}
