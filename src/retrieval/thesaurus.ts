// Query expansion: SME users ask in everyday words ("Chef", "Testphase", "kostet"), the corpus is
// written in the terms of work design ("Führungskraft", "Pilotphase", "Aufwand"). Each group lists
// words that mean the same here; a query that uses one also searches for the others.
import { corpusIdf } from './embedders/local-idf.ts'
import { contentStems, foldText } from './embedders/text-features.ts'

// German only: the English documents are few and written in one consistent vocabulary, and English
// groups added more noise than matches on the retrieval eval set.
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

/** A German query plus the other words of every group it touches and the parts of its compounds. */
export function expandQuery(query: string): string {
  const present = new Set(germanStems(query))
  const extra = new Set<string>()
  for (const stem of present) {
    for (const word of byStem.get(stem) ?? []) {
      if (!germanStems(word).every((w) => present.has(w))) extra.add(word)
    }
  }
  for (const word of query.split(/[^\p{L}]+/u)) for (const part of compoundParts(word)) extra.add(part)
  return extra.size ? `${query} ${[...extra].join(' ')}` : query
}
