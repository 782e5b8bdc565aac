// POST /v1/search: hybrid search over the knowledge base, for mentors and integrators.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { Audience, Field, Lang, Phase } from '../../retrieval/corpus-schema.ts'
import { search } from '../../retrieval/search.ts'
import type { RouteDeps } from '../deps.ts'
import { clientAddress } from '../limits/client-address.ts'
import { ErrorSchema } from '../schemas.ts'

const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item).min(1).max(10)]).transform((value) => (Array.isArray(value) ? value : [value]))

const SearchRequest = z
  .strictObject({
    query: z
      .string({ error: 'must be a string' })
      .trim()
      .min(1, 'must not be empty')
      .max(1000, 'must be at most 1000 characters'),
    k: z.int('must be a whole number').min(1, 'must be at least 1').max(20, 'must be at most 20').default(5),
    lang: Lang.optional().openapi({ description: 'Only passages in this language' }),
    filters: z
      .strictObject({
        audience: oneOrMany(Audience).optional(),
        field: oneOrMany(Field).optional(),
        phase: oneOrMany(Phase).optional(),
      })
      .optional(),
  })
  .openapi('SearchRequest')

const SearchResult = z
  .object({
    documentId: z.string(),
    title: z.string(),
    heading: z.string().openapi({ description: 'Heading path of the passage: Title › Section' }),
    text: z.string(),
    lang: Lang,
    score: z.number().openapi({ description: 'Reciprocal-rank-fusion score; higher is better' }),
    url: z.string().optional(),
    reviewed: z.string().describe('the day the document was last checked against its sources'),
    ranks: z.object({ vector: z.number().nullable(), fulltext: z.number().nullable() }),
  })
  .openapi('SearchResult')

const route = createRoute({
  method: 'post',
  path: '/v1/search',
  tags: ['Knowledge base'],
  summary: 'Search the curated corpus (vector and full text, fused)',
  request: { body: { required: true, content: { 'application/json': { schema: SearchRequest } } } },
  responses: {
    200: {
      description: 'The best passages, best first',
      content: { 'application/json': { schema: z.object({ results: z.array(SearchResult) }) } },
    },
    400: { description: 'Invalid request', content: { 'application/json': { schema: ErrorSchema } } },
    429: {
      description: 'Too many searches from this client (see Retry-After)',
      content: { 'application/json': { schema: ErrorSchema } },
    },
  },
})

export function searchRoutes(deps: RouteDeps) {
  return new OpenAPIHono().openapi(route, async (c) => {
    const body = c.req.valid('json')
    // Anyone may search, without a token: the per-client limit keeps one client from taking the CPU.
    deps.limits.search(clientAddress(c, deps.config.CLIENT_IP_HEADER, deps.peerAddress))
    const hits = await search(deps.database, deps.embedder, {
      query: body.query,
      k: body.k,
      filters: { lang: body.lang, ...body.filters },
    })
    return c.json(
      {
        results: hits.map((hit) => ({
          documentId: hit.documentId,
          title: hit.title,
          heading: hit.heading,
          text: hit.text,
          lang: hit.lang,
          score: hit.score,
          ...(hit.url ? { url: hit.url } : {}),
          reviewed: hit.reviewed,
          ranks: { vector: hit.vectorRank, fulltext: hit.textRank },
        })),
      },
      200,
    )
  })
}
