// Postgres' full-text ranking in process, for the embedded database's searches (memory-search.ts): the
// stored tsvectors are read once with the vectors, and a query's lexemes (stemmed by Postgres) are
// matched and ranked here as `tsv @@ query` and `ts_rank(tsv, query, 1)` do for a query that is an OR
// of lexemes, which is what the search writes. The arithmetic follows Postgres' tsrank.c step by step,
// in single precision where it computes in `float`, so that the ranks are the same numbers.

/** ts_rank's default weights of the classes D, C, B and A. */
const WEIGHTS = [0.1, 0.2, 0.4, 1.0].map(Math.fround)
// The limit of sum(1/i^2), by which calc_rank_or divides each lexeme's share.
const ZETA_2 = 1.64493406685

/** One language's rows (passages, or section questions) as an inverted index of their lexemes. */
export interface TextIndex {
  /** Per lexeme, the rows that hold it and each row's share before the division by ZETA_2. */
  postings: Map<string, { rows: number[]; shares: number[] }>
  /** Per row, log2 of its length + 1: the normalisation ts_rank's method 1 divides by. */
  lengthNorm: Float64Array
}

/** Builds the index of rows given as tsvector text (`'lexem':1,4A 'other':2`), row i of the list as row i. */
export function textIndex(tsvectors: readonly string[]): TextIndex {
  const postings: TextIndex['postings'] = new Map()
  const lengthNorm = new Float64Array(tsvectors.length)
  tsvectors.forEach((text, row) => {
    let length = 0
    for (const { lexeme, weights } of parseTsvector(text)) {
      // cnt_length: a lexeme without positions counts once.
      length += Math.max(1, weights.length)
      const posting = postings.get(lexeme) ?? { rows: [], shares: [] }
      posting.rows.push(row)
      posting.shares.push(lexemeShare(weights))
      postings.set(lexeme, posting)
    }
    lengthNorm[row] = Math.log(length + 1) / Math.log(2)
  })
  return { postings, lengthNorm }
}

/**
 * ts_rank(tsv, query, 1) of every row holding one of the lexemes (the rows the query matches), for a
 * query that is an OR of these lexemes; `skip` leaves rows out. Rows that match nothing are absent.
 */
export function rankRows(index: TextIndex, lexemes: readonly string[], skip?: (row: number) => boolean) {
  const operands = operandOrder(lexemes)
  const sums = new Map<number, number>()
  // calc_rank_or: the operands in their sorted order, each row's sum rounded to a float at each step.
  for (const lexeme of operands) {
    const posting = index.postings.get(lexeme)
    if (!posting) continue
    posting.rows.forEach((row, i) => {
      if (skip?.(row)) return
      sums.set(row, Math.fround((sums.get(row) ?? 0) + (posting.shares[i] as number) / ZETA_2))
    })
  }
  const ranks = new Map<number, number>()
  for (const [row, sum] of sums) {
    const perOperand = Math.fround(sum / operands.length)
    ranks.set(row, Math.fround(perOperand / (index.lengthNorm[row] as number)))
  }
  return ranks
}

// One lexeme's share in a row: wjm + resj - wjm / (jm + 1)^2 in calc_rank_or, in single precision.
function lexemeShare(weights: readonly number[]): number {
  // A lexeme without positions counts as one position of class D.
  const classes = weights.length > 0 ? weights : [0]
  let sum = 0
  let best = -1
  let bestAt = 0
  classes.forEach((weightClass, j) => {
    const weight = WEIGHTS[weightClass] as number
    sum = Math.fround(sum + Math.fround(weight / ((j + 1) * (j + 1))))
    if (weight > best) {
      best = weight
      bestAt = j
    }
  })
  return Math.fround(Math.fround(best + sum) - Math.fround(best / ((bestAt + 1) * (bestAt + 1))))
}

// SortAndUniqItems: the distinct operands in the byte order of their UTF-8 text (tsCompareString).
function operandOrder(lexemes: readonly string[]): string[] {
  return [...new Set(lexemes)].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
}

/** A tsvector's text form as its lexemes, each with the weight classes of its positions (D = 0 … A = 3). */
export function parseTsvector(text: string): Array<{ lexeme: string; weights: number[] }> {
  const entries: Array<{ lexeme: string; weights: number[] }> = []
  let at = 0
  while (at < text.length) {
    if (text[at] === ' ') {
      at++
      continue
    }
    const quoted = readQuoted(text, at)
    if (!quoted) throw new Error('Unexpected tsvector text')
    at = quoted.end
    const weights: number[] = []
    if (text[at] === ':') {
      const positions = /^:([0-9A-D,]+)/.exec(text.slice(at))?.[1] ?? ''
      for (const position of positions.split(',')) {
        const weight = position.at(-1) ?? ''
        weights.push('DCBA'.includes(weight) ? 'DCBA'.indexOf(weight) : 0)
      }
      at += positions.length + 1
    }
    entries.push({ lexeme: quoted.value, weights })
  }
  return entries
}

/**
 * The lexemes of a tsquery's text form when it is an OR of plain lexemes (`'a' | 'b'`), as
 * `websearch_to_tsquery` makes of the search's terms; null for anything else (a phrase, a prefix, a
 * weight), which the search then ranks in SQL. An empty query has no lexemes.
 */
export function orOfLexemes(text: string): string[] | null {
  const lexemes: string[] = []
  let at = 0
  const skipSpaces = () => {
    while (text[at] === ' ') at++
  }
  skipSpaces()
  while (at < text.length) {
    if (lexemes.length > 0) {
      if (text[at] !== '|') return null
      at++
      skipSpaces()
    }
    const quoted = readQuoted(text, at)
    if (!quoted) return null
    lexemes.push(quoted.value)
    at = quoted.end
    skipSpaces()
  }
  return lexemes
}

// A quoted lexeme at `at`: quotes and backslashes inside are doubled in the text form.
function readQuoted(text: string, at: number): { value: string; end: number } | null {
  if (text[at] !== "'") return null
  let value = ''
  let i = at + 1
  while (i < text.length) {
    const char = text[i] as string
    if (char === "'" && text[i + 1] === "'") {
      value += "'"
      i += 2
    } else if (char === '\\' && i + 1 < text.length) {
      value += text[i + 1]
      i += 2
    } else if (char === "'") return { value, end: i + 1 }
    else {
      value += char
      i++
    }
  }
  return null
}
