// Query expansion: SME users ask in everyday words ("Chef", "Testphase", "kostet"), the corpus is
// written in the terms of work design ("Führungskraft", "Pilotphase", "Aufwand"). Each group lists
// words that mean the same here; a query that uses one also searches for the others.
import type { Lang } from './corpus-schema.ts'
import { corpusIdf } from './embedders/local-idf.ts'
import { contentStems, foldText } from './embedders/text-features.ts'

// Synonym groups are German only: the English documents are few and written in one consistent
// vocabulary, and English groups added more noise than matches on the retrieval eval set.
const GROUPS: readonly string[] = [
  'Chef Chefin Vorgesetzte Führungskraft Führungskräfte Leitung Teamleitung',
  'Leute Mitarbeitende Mitarbeiter Beschäftigte Belegschaft Personal',
  'Schulung Weiterbildung Qualifizierung Training Lernen Kurs',
  'Testphase Pilotphase Pilot Pilotprojekt Erprobung Testlauf',
  'Kosten kostet Preis Aufwand Budget Investition',
  'Schritte Phasen Vorgehen Fahrplan Ablauf Reihenfolge',
  'Angst Ängste Sorge Sorgen Befürchtung Bedenken Widerstand',
  'Idee Ideen Anwendungsfall Anwendungsfälle Einsatzmöglichkeit Einsatzmöglichkeiten Potenzial',
  'Belastung Stress erschöpft Überlastung Druck Arbeitsintensität',
  'Datenschutz DSGVO personenbezogen',
  'Regeln Richtlinie Leitfaden Nutzungsregeln',
  'Ausschlusskriterium Ausschlusskriterien K.-o.-Kriterium',
  'Barrierefreiheit barrierefrei Behinderung Sehbehinderung',
  'ChatGPT Chatbot Sprachmodell Copilot',
  'bewerten beurteilen einschätzen prüfen Bewertung',
  'einführen Einführung Rollout',
  'Gefährdungsbeurteilung Risikobeurteilung',
  'Chancengleichheit Benachteiligung Diskriminierung',
]

/**
 * Question forms that ask for a topic without naming it: "Wo lohnt sich KI bei uns?" asks for use
 * cases, although neither the word nor a synonym occurs. A match adds the topic's terms. These apply
 * to English questions too: they add one topic's words, not a vocabulary.
 */
const INTENTS: ReadonlyArray<{ lang: Lang; pattern: RegExp; terms: string }> = [
  {
    lang: 'de',
    pattern:
      /\bwo(?:für|zu)?\b.*\b(sinnvoll|lohnt|lohnen|einsetzen|einsetzbar|nutzen|nützlich|hilft|helfen|passt)/iu,
    terms: 'Anwendungsfälle finden Einsatzmöglichkeiten',
  },
  {
    lang: 'de',
    pattern: /\bwelche\s+(aufgaben|tätigkeiten|prozesse|abläufe|bereiche)\b.*\b(eignen|geeignet|ki)\b/iu,
    terms: 'Anwendungsfälle finden Einsatzmöglichkeiten',
  },
  {
    lang: 'en',
    pattern: /\b(where|what\s+for)\b.*\b(makes?\s+sense|worth|useful|help|helps|use\s+it|apply)\b/iu,
    terms: 'finding use cases',
  },
  {
    lang: 'en',
    pattern: /\bwhich\s+(tasks|processes|activities|areas)\b.*\b(suit|suited|suitable|ai)\b/iu,
    terms: 'finding use cases',
  },
]

/** The terms of every topic the question asks for by its form (see INTENTS). */
export function intentTerms(query: string, lang: Lang): string[] {
  return INTENTS.filter((intent) => intent.lang === lang && intent.pattern.test(query)).map((i) => i.terms)
}

// Each stem of a group word points to all words of its group.
const byStem = new Map<string, Set<string>>()
for (const group of GROUPS) {
  const words = group.split(' ')
  for (const word of words) {
    for (const stem of germanStems(word)) {
      const known = byStem.get(stem) ?? new Set<string>()
      for (const other of words) known.add(other)
      byStem.set(stem, known)
    }
  }
}

function germanStems(text: string): string[] {
  // "der" tells the language detector that single words are German.
  return contentStems(`der ${text}`)
}

/**
 * Parts of German compounds that the corpus knows ("Kompetenzpflicht" → "kompetenz", "pflicht"), so
 * that a compound in the question meets the same words written apart in the corpus.
 */
export function compoundParts(word: string, known: (stem: string) => boolean = isKnown): string[] {
  const folded = foldText(word)
  if (folded.length < 9 || !/^[a-z]+$/.test(folded)) return []
  for (let cut = folded.length - 4; cut >= 4; cut--) {
    const left = folded.slice(0, cut)
    const right = folded.slice(cut)
    // German joins compounds with a linking s ("Leistungs-kontrolle").
    const head = left.endsWith('s') && !known(germanStems(left)[0] ?? '') ? left.slice(0, -1) : left
    if (known(germanStems(head)[0] ?? '') && known(germanStems(right)[0] ?? '')) return [head, right]
  }
  return []
}

const isKnown = (stem: string) => stem.length >= 4 && corpusIdf.share(stem) > 0

/**
 * The query plus the terms of the topics its form asks for; a German query also gets the other words
 * of every group it touches and the parts of its compounds.
 */
export function expandQuery(query: string, lang: Lang): string {
  const intents = intentTerms(query, lang)
  if (lang !== 'de') return intents.length ? `${query} ${intents.join(' ')}` : query
  const present = new Set(germanStems(query))
  const extra = new Set<string>()
  for (const stem of present) {
    for (const word of byStem.get(stem) ?? []) {
      if (!germanStems(word).every((w) => present.has(w))) extra.add(word)
    }
  }
  for (const word of query.split(/[^\p{L}]+/u)) for (const part of compoundParts(word)) extra.add(part)
  for (const terms of intents) for (const word of terms.split(' ')) extra.add(word)
  return extra.size ? `${query} ${[...extra].join(' ')}` : query
}
