// The reranker: orders the fused candidates of a search by how well each section answers the
// question. A listwise logistic model over a few signals, fitted by `npm run reranker:fit` on the
// sections' own questions, each left out of the index while it is the query. Its score orders the
// candidates; whether the best one answers at all is a separate, absolute test (agents/coverage.ts).
import type { Audience } from './corpus-schema.ts'
import { corpusIdf as idf } from './embedders/local-idf.ts'
import { contentStems, foldText } from './embedders/text-features.ts'
import fitted from './reranker-model.json' with { type: 'json' }
import type { Ranking, SearchHit } from './search.ts'
import { stemAlternatives } from './thesaurus.ts'

export const FEATURES = [
  'vectorRank',
  'textRank',
  'questionRank',
  'questionTextRank',
  'similarity',
  'questionSimilarity',
  'coverage',
  'headingCoverage',
  'questionCoverage',
  'questionMatch',
  'audience',
  'aboutThisService',
  'documentSupport',
] as const
export type Feature = (typeof FEATURES)[number]

export interface RerankerModel {
  bias: number
  weights: Record<Feature, number>
}

export interface RerankContext {
  /** The question as the user asked it (not expanded). */
  query: string
  /** The reader's perspective, when known. */
  role?: Audience | undefined
}

type Candidate = Pick<SearchHit, 'documentId' | 'title' | 'heading' | 'text' | 'questions' | 'audience'> &
  Omit<Ranking, 'score' | 'coverage'> & { aboutThisService?: boolean }

// A question about the service itself ("Wer bist du?", "Was kann der Digital-Mentor?"): only then do
// the passages that describe it compete on equal terms.
const ABOUT_THE_SERVICE =
  /digital[- ]?mentor|ki-mentor|\b(du|dich|dir|dein|deine)\b|wer bist|was kannst|\b(this|the|dieser|der) (ai |ki-?)?(bot|chatbot|service|dienst|assistant|assistent|mentor)\b|\bwho are you\b|\bare you (a|an|human|real)\b|\bwhat can you\b/

/** Whether a question asks about this service itself (who it is, what it can do). */
export const asksAboutThisService = (query: string): boolean => ABOUT_THE_SERVICE.test(foldText(query))

/** The factor on the score of a passage about this service when the question is not about it. */
const SELF_DEMOTION = 0.2
/** The factor on the score of a passage from a document not written for the reader's role. */
const OTHER_READER = 0.8

const rank = (r: number | null) => (r === null ? 0 : 1 / Math.sqrt(r))

/** What the reranker reads from the question once per search. */
export interface QueryContext {
  /** The question's content stems with their IDF weights. */
  stems: ReadonlyMap<string, number>
  total: number
  /** Stems that stand for a question stem in the corpus (thesaurus.ts). */
  alternatives: ReadonlyMap<string, ReadonlySet<string>>
  role?: Audience | undefined
  aboutService: boolean
}

/**
 * IDF-weighted share of the query's stems found in `stems`, a stem also counting as found when one of
 * its alternatives (synonym, compound part, sector; thesaurus.ts) is.
 */
function share(query: QueryContext, stems: ReadonlySet<string>): number {
  if (query.total === 0) return 0
  let found = 0
  for (const [stem, weight] of query.stems) {
    if (stems.has(stem) || [...(query.alternatives.get(stem) ?? [])].some((other) => stems.has(other)))
      found += weight
  }
  return found / query.total
}

interface SectionStems {
  heading: ReadonlySet<string>
  questions: ReadonlySet<string>
  /** Each question's stems on their own. */
  each: ReadonlyArray<ReadonlySet<string>>
  all: ReadonlySet<string>
}

// Stemming a passage costs far more than scoring it, and the same passages come back search after
// search: their stems are kept, keyed by their content, up to a bound.
const STEM_CACHE_SIZE = 4000
const stemCache = new Map<string, SectionStems>()

function sectionStems(candidate: Pick<Candidate, 'title' | 'heading' | 'text' | 'questions'>): SectionStems {
  const key = `${candidate.title}\u0000${candidate.heading}\u0000${candidate.questions.join('\u0000')}\u0000${candidate.text}`
  const cached = stemCache.get(key)
  if (cached) return cached
  const stemsOf = (text: string) => new Set(contentStems(text))
  const heading = stemsOf(`${candidate.title} ${candidate.heading}`)
  const questions = stemsOf(candidate.questions.join(' '))
  const stems = {
    heading,
    questions,
    each: candidate.questions.map(stemsOf),
    all: new Set([...heading, ...questions, ...stemsOf(candidate.text)]),
  }
  if (stemCache.size >= STEM_CACHE_SIZE) stemCache.clear()
  stemCache.set(key, stems)
  return stems
}

/** Cosine of IDF-weighted stem sets: how closely one of the section's questions asks what was asked. */
function bestQuestionMatch(
  query: ReadonlyMap<string, number>,
  questions: ReadonlyArray<ReadonlySet<string>>,
): number {
  const norm = Math.sqrt([...query.values()].reduce((sum, w) => sum + w * w, 0))
  if (norm === 0) return 0
  let best = 0
  for (const stems of questions) {
    let dot = 0
    let own = 0
    for (const stem of stems) {
      const weight = idf.weight(stem)
      own += weight * weight
      dot += (query.get(stem) ?? 0) * weight
    }
    if (own > 0) best = Math.max(best, dot / (norm * Math.sqrt(own)))
  }
  return best
}

/** Other candidates from the same document that count as full support for a candidate. */
const SUPPORTING = 3

/**
 * For each candidate (in fused order), how many other candidates of the pool come from its document,
 * up to SUPPORTING, as 0..1: a document about the question tends to bring several of its sections,
 * a section that merely mentions the topic comes alone.
 */
export function documentSupport(candidates: readonly Pick<Candidate, 'documentId'>[]): number[] {
  const counts = new Map<string, number>()
  for (const { documentId } of candidates) counts.set(documentId, (counts.get(documentId) ?? 0) + 1)
  return candidates.map(
    ({ documentId }) => Math.min(SUPPORTING, (counts.get(documentId) ?? 1) - 1) / SUPPORTING,
  )
}

/**
 * The reranker's signals for one candidate, each about 0 to 1 (audience −1, 0 or 1); `support` is the
 * candidate's entry of documentSupport over the pool it came in.
 */
export function featuresOf(
  candidate: Candidate,
  context: QueryContext,
  support: number,
): Record<Feature, number> {
  const { heading, questions, each, all } = sectionStems(candidate)
  return {
    vectorRank: rank(candidate.vectorRank),
    textRank: rank(candidate.textRank),
    questionRank: rank(candidate.questionRank),
    questionTextRank: rank(candidate.questionTextRank),
    similarity: candidate.similarity ?? 0,
    questionSimilarity: candidate.questionSimilarity ?? 0,
    coverage: share(context, all),
    headingCoverage: share(context, heading),
    questionCoverage: share(context, questions),
    questionMatch: bestQuestionMatch(context.stems, each),
    audience: context.role === undefined ? 0 : candidate.audience.includes(context.role) ? 1 : -1,
    aboutThisService: candidate.aboutThisService && !context.aboutService ? 1 : 0,
    documentSupport: support,
  }
}

/** The query's content stems with their IDF weights, computed once per search. */
export function queryContext(context: RerankContext): QueryContext {
  const stems = new Map<string, number>()
  for (const stem of contentStems(context.query.slice(0, 2000))) stems.set(stem, idf.weight(stem))
  const total = [...stems.values()].reduce((sum, weight) => sum + weight, 0)
  return {
    stems,
    total,
    alternatives: stemAlternatives(context.query),
    role: context.role,
    aboutService: asksAboutThisService(context.query),
  }
}

/** The model's score, squashed to 0..1: higher means the section fits the question better. */
export function probability(features: Record<Feature, number>, model: RerankerModel = fitted): number {
  let z = model.bias
  for (const feature of FEATURES) z += model.weights[feature] * features[feature]
  return 1 / (1 + Math.exp(-z))
}

/**
 * The candidates best first, each with `score` set to the model's score (0..1) and `coverage` to the
 * IDF-weighted share of the question's words the section contains.
 */
export function rerank<H extends Candidate & { score: number; coverage: number | null }>(
  hits: readonly H[],
  context: RerankContext,
): H[] {
  const query = queryContext(context)
  const support = documentSupport(hits)
  return hits
    .map((hit, order) => {
      const features = featuresOf(hit, query, support[order] ?? 0)
      // Policies, not fitted weights (the sections' own questions carry no reader and no questions
      // about the service): passages about this service answer questions about it, not others; a
      // reader whose role the document is not written for gets it after the ones that are.
      const factor =
        (features.aboutThisService === 1 ? SELF_DEMOTION : 1) * (features.audience === -1 ? OTHER_READER : 1)
      return { hit: { ...hit, score: probability(features) * factor, coverage: features.coverage }, order }
    })
    .sort((a, b) => b.hit.score - a.hit.score || a.order - b.order)
    .map(({ hit }) => hit)
}
