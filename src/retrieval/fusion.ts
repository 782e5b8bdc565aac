// Reciprocal rank fusion in process, with the numbers the search statement computes in SQL:
// `sum(1.0 / (RRF_K + rank))` in Postgres' numeric type (each quotient rounded to 20 decimal places,
// the sum exact), ordered by that sum and then by id, returned as the nearest float8.
import type { Ranking } from './search.ts'

/** One ranked list: ids best first, with their similarities where the list has them. */
export interface RankedList {
  ids: readonly string[]
  similarities?: readonly number[] | undefined
}

export interface FusionLists {
  vector: RankedList
  text: RankedList
  questionVector: RankedList
  questionText: RankedList
}

export type Fused = { chunkId: string } & Omit<Ranking, 'coverage'>

// The scale of numeric's quotient 1.0 / n for n from 1 to 9999 (select_div_scale): 20 digits.
const SCALE = 10n ** 20n

/** The best `limit` chunks of the lists, fused as the search statement fuses them. */
export function fuseLists(lists: FusionLists, rrfK: number, limit: number): Fused[] {
  const fused = new Map<string, Fused & { sum: bigint }>()
  const add = (
    list: RankedList,
    rankKey: 'vectorRank' | 'textRank' | 'questionRank' | 'questionTextRank',
    similarityKey?: 'similarity' | 'questionSimilarity',
  ) =>
    list.ids.forEach((chunkId, i) => {
      const entry = fused.get(chunkId) ?? {
        chunkId,
        sum: 0n,
        score: 0,
        vectorRank: null,
        textRank: null,
        questionRank: null,
        questionTextRank: null,
        similarity: null,
        questionSimilarity: null,
      }
      entry.sum += quotient(rrfK + i + 1)
      entry[rankKey] = i + 1
      if (similarityKey) entry[similarityKey] = list.similarities?.[i] ?? null
      fused.set(chunkId, entry)
    })
  add(lists.vector, 'vectorRank', 'similarity')
  add(lists.text, 'textRank')
  add(lists.questionVector, 'questionRank', 'questionSimilarity')
  add(lists.questionText, 'questionTextRank')
  return [...fused.values()]
    .sort((a, b) => (a.sum === b.sum ? compareIds(a.chunkId, b.chunkId) : a.sum > b.sum ? -1 : 1))
    .slice(0, limit)
    .map(({ sum, ...entry }) => ({ ...entry, score: toFloat8(sum) }))
}

// 1.0 / n in numeric: SCALE / n rounded half away from zero, as a count of 10^-20.
function quotient(n: number): bigint {
  const divisor = BigInt(n)
  const whole = SCALE / divisor
  return 2n * (SCALE % divisor) >= divisor ? whole + 1n : whole
}

// numeric → float8 goes through the decimal text: parseFloat rounds it to the nearest double.
function toFloat8(sum: bigint): number {
  const digits = sum.toString().padStart(21, '0')
  return Number.parseFloat(`${digits.slice(0, -20)}.${digits.slice(-20)}`)
}

/** Ids in the order the search statement sorts them (the embedded database's C collation). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
