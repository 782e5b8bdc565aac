// The text features of the routing classifier: word stems with their function words (first person
// matters: "darf ich"), word pairs, split compounds joined again, and character n-grams of each word
// (typos, inflections and compounds share most of them). Cost: linear in the text, bounded by
// MAX_TOKENS words of at most MAX_WORD characters.
import { stemmer as stemEnglish } from '@orama/stemmers/english'
import { stemmer as stemGerman } from '@orama/stemmers/german'
import { detectLang } from '../../retrieval/embedders/text-features.ts'
import { readForRouting } from './read.ts'

const MAX_TOKENS = 400
const MAX_WORD = 30
const NGRAMS = [3, 4] as const

/** The distinct features of a message. */
export function routingFeatures(text: string): string[] {
  return featuresOfRead(readForRouting(text))
}

/** The features of a message as readForRouting made it. */
export function featuresOfRead(read: string): string[] {
  const tokens = read
    .split(/[^a-z0-9§]+/)
    .filter((token) => token.length > 0 && token.length <= MAX_WORD)
    .slice(0, MAX_TOKENS)
  const stem = detectLang(tokens) === 'en' ? stemEnglish : stemGerman
  const stems = tokens.map((token) => (token.length > 2 ? stem(token) : token))
  const features = new Set<string>()
  features.add(`n:${tokens.length <= 3 ? 'short' : tokens.length <= 12 ? 'medium' : 'long'}`)
  stems.forEach((s, i) => {
    features.add(`w:${s}`)
    const next = stems[i + 1]
    if (next === undefined) return
    features.add(`b:${s}_${next}`)
    const a = tokens[i] ?? ''
    const b = tokens[i + 1] ?? ''
    // "Betriebs Rat" and "Stellen abbau" meet "Betriebsrat" and "Stellenabbau".
    if (a.length >= 4 && b.length >= 3 && a.length + b.length <= MAX_WORD) features.add(`w:${stem(a + b)}`)
  })
  for (const token of tokens) {
    const padded = `<${token}>`
    for (const n of NGRAMS) {
      for (let i = 0; i + n <= padded.length; i++) features.add(`c:${padded.slice(i, i + n)}`)
    }
  }
  return [...features]
}
