// The sources of a mentor's reply come from the knowledge base, not from what the mentor's client
// sends: a mentor names a document (and, if they like, one of its sections), and the title, heading,
// address and review date are read from the corpus. A document or section the corpus does not have is
// refused, so that neither a made-up "official" source nor a `javascript:` address reaches a user.
import type { Citation } from '../conversations/repository.ts'
import type { Queryable } from '../db/database.ts'
import { AppError } from '../errors.ts'

export type CitationRequest = {
  documentId: string
  /** A section heading of the document as drafts give it ("Title › Section"); absent: the document. */
  heading?: string | undefined
  /** The marker in the reply's text ([n]); absent: its place in the list. */
  n?: number | undefined
}

type CorpusDocument = { id: string; title: string; url: string | null; reviewed: string; headings: string[] }

export async function resolveCitations(
  q: Queryable,
  requested: readonly CitationRequest[],
): Promise<Citation[]> {
  if (requested.length === 0) return []
  const { rows } = await q.query<CorpusDocument>(
    `select d.id, d.title, d.url, to_char(d.reviewed, 'YYYY-MM-DD') as reviewed,
            coalesce(array_agg(c.heading order by c.position) filter (where c.heading is not null), '{}') as headings
     from documents d left join chunks c on c.document_id = d.id
     where d.id = any($1) group by d.id`,
    [[...new Set(requested.map((r) => r.documentId))]],
  )
  const documents = new Map(rows.map((d) => [d.id, d]))
  return requested.map((r, i) => {
    const doc = documents.get(r.documentId)
    if (!doc)
      throw new AppError(
        'validation_failed',
        400,
        `citations[${i}].documentId: "${r.documentId}" is not a document of the knowledge base.`,
      )
    const heading = r.heading?.trim() || doc.title
    if (heading !== doc.title && !doc.headings.includes(heading))
      throw new AppError(
        'validation_failed',
        400,
        `citations[${i}].heading: "${doc.title}" has no section of that name.`,
      )
    return {
      n: r.n ?? i + 1,
      documentId: doc.id,
      title: doc.title,
      heading,
      ...(doc.url ? { url: doc.url } : {}),
      reviewed: doc.reviewed,
    }
  })
}
