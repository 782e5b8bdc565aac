// The answer eval on questions written by others: for each question, the passages the chat would answer
// from (findSources, the chat's own retrieval and "not covered" decision) and the section its offline
// answer would cite first, scored against the sections a reader judged to answer it.
import { findSources } from '../../src/agents/coverage.ts'
import { extractiveAnswer } from '../../src/agents/extractive.ts'
import { withoutPersonalData } from '../../src/agents/pii.ts'
import type { Database } from '../../src/db/database.ts'
import type { Embedder } from '../../src/retrieval/embedders/embedder.ts'
import type { QuestionCase } from './datasets.ts'

export interface QuestionScores {
  questions: number
  covered: number
  /** Covered questions whose answer cites a gold section first. */
  firstCitationGold: number
  /** Questions answered (not "not covered") with a first citation outside the gold sections. */
  wrongAnswerRate: number
  notCoveredPrecision: number
  notCoveredRecall: number
  /** Document level, over the ranked passages of covered questions: the old retrieval metrics. */
  hit1: number
  hit5: number
  mrr: number
}

export interface QuestionOutcome {
  id: string
  covered: boolean
  saidNotCovered: boolean
  firstGold: boolean
  /** Document and section of the first citation, when there is an answer. */
  cited: string | null
}

/** The section of a chunk's heading ("Title › Section › …"), as gold labels name it. */
export const sectionOf = (heading: string) => heading.split(' › ')[1] ?? ''
const matches = (gold: QuestionCase['gold'][number], hit: { documentId: string; heading: string }) =>
  gold.doc === hit.documentId && (gold.section === undefined || gold.section === sectionOf(hit.heading))

export async function runQuestionEval(
  database: Database,
  embedder: Embedder,
  cases: readonly QuestionCase[],
): Promise<{ scores: QuestionScores; outcomes: QuestionOutcome[] }> {
  const outcomes: QuestionOutcome[] = []
  let hit1 = 0
  let hit5 = 0
  let rr = 0
  for (const c of cases) {
    // An unknown role is read from the question by the search itself, as in the chat.
    const role = c.role === 'unknown' ? undefined : c.role
    const { hits, covered } = await findSources(database, embedder, {
      query: withoutPersonalData(c.question),
      lang: c.lang,
      role,
    })
    const answer = covered ? extractiveAnswer(hits) : undefined
    const first = answer?.citations[0]
    const firstHit =
      first && hits.find((h) => h.documentId === first.documentId && h.heading === first.heading)
    outcomes.push({
      id: c.id,
      covered: c.covered,
      saidNotCovered: !covered,
      firstGold: Boolean(firstHit && c.gold.some((g) => matches(g, firstHit))),
      cited: firstHit ? `${firstHit.documentId} › ${sectionOf(firstHit.heading)}` : null,
    })
    if (c.covered) {
      const docs = [...new Set(hits.map((h) => h.documentId))]
      const at = docs.findIndex((doc) => c.gold.some((g) => g.doc === doc))
      if (at === 0) hit1++
      if (at >= 0 && at < 5) hit5++
      if (at >= 0) rr += 1 / (at + 1)
    }
  }
  const covered = outcomes.filter((o) => o.covered)
  const said = outcomes.filter((o) => o.saidNotCovered)
  const share = (n: number, of: number) => (of === 0 ? 0 : n / of)
  return {
    scores: {
      questions: outcomes.length,
      covered: covered.length,
      firstCitationGold: share(covered.filter((o) => o.firstGold).length, covered.length),
      wrongAnswerRate: share(
        outcomes.filter((o) => !o.saidNotCovered && !o.firstGold).length,
        outcomes.length,
      ),
      notCoveredPrecision: share(said.filter((o) => !o.covered).length, said.length),
      notCoveredRecall: share(
        said.filter((o) => !o.covered).length,
        outcomes.filter((o) => !o.covered).length,
      ),
      hit1: share(hit1, covered.length),
      hit5: share(hit5, covered.length),
      mrr: share(rr, covered.length),
    },
    outcomes,
  }
}
