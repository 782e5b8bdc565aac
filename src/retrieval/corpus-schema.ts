// The front matter of a corpus document, and the vocabularies that retrieval filters use.
import { z } from 'zod'

export const LANGS = ['de', 'en'] as const
export const AUDIENCES = ['management', 'employees', 'works_council', 'consultants'] as const
export const FIELDS = [
  'general',
  'leadership',
  'equal_opportunities',
  'health',
  'knowledge_competence',
] as const
export const PHASES = ['recognise', 'evaluate', 'introduce', 'basics'] as const

export const Lang = z.enum(LANGS)
export const Audience = z.enum(AUDIENCES)
export const Field = z.enum(FIELDS)
export const Phase = z.enum(PHASES)

export type Lang = z.infer<typeof Lang>
export type Audience = z.infer<typeof Audience>

const isoDate = z.iso.date({ error: 'must be a date like 2026-11-24' })
const yamlDate = z.preprocess((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v), isoDate)

export const frontMatterSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9, hyphens)'),
    title: z
      .string()
      .trim()
      .min(3, 'must be at least 3 characters')
      .max(200, 'must be at most 200 characters'),
    lang: Lang,
    translation_of: z.string().min(1).optional(),
    audience: z.array(Audience).min(1, 'must name at least one audience'),
    field: Field,
    phase: Phase,
    sources: z.array(z.string().trim().min(1)).min(1, 'must list at least one source'),
    // YAML may read an unquoted date as a Date; both forms mean the same day.
    reviewed: yamlDate,
    /** For documents with facts that move (law, dates, programmes): the day they must be checked again. */
    review_by: yamlDate.optional(),
    url: z.url({ protocol: /^https$/, error: 'must be an https URL' }).optional(),
    /** The document describes this service itself; retrieval prefers it only for questions about the service. */
    about_this_service: z.boolean().optional(),
  })
  .refine((m) => !m.review_by || m.review_by > m.reviewed, {
    path: ['review_by'],
    message: 'must be after reviewed',
  })

export type FrontMatter = z.infer<typeof frontMatterSchema>

/** A section's `questions` block: what users would type to find it (see corpus/FORMAT.md). */
export const sectionQuestionsSchema = z
  .array(
    z
      .string()
      .min(10, 'a question needs at least 10 characters')
      .max(200, 'a question has at most 200 characters')
      .regex(/\?$/, 'a question ends with "?"'),
  )
  .min(3, 'needs 3 to 10 questions')
  .max(10, 'needs 3 to 10 questions')
