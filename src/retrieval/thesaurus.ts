// Query expansion: SME users ask in everyday words ("Chef", "Testphase", "kostet"), the corpus is
// written in the terms of work design ("Führungskraft", "Pilotphase", "Aufwand"). Each group lists
// words that mean the same here; a query that uses one also searches for the others.
import type { Lang } from './corpus-schema.ts'
import { corpusIdf, type IdfTable } from './embedders/local-idf.ts'
import {
  contentStems,
  detectTextLang,
  foldText,
  germanWordStem,
  MAX_WORD_CHARS,
  textWork,
} from './embedders/text-features.ts'

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
 * English names in German questions ("AI", the "AI Act"), each pointing to the corpus's German term.
 * One way only, like the sectors: a German question about the KI-Verordnung does not search for "Act".
 */
const BORROWED: ReadonlyMap<string, string> = new Map([
  ['ai', 'KI'],
  ['act', 'KI-Verordnung'],
])

/** The German terms of the English names a German question uses (see BORROWED). */
function borrowedTerms(text: string): string[] {
  const found = new Set<string>()
  for (const word of foldText(text).split(/[^a-z]+/)) {
    const term = BORROWED.get(word)
    if (term !== undefined) found.add(term)
  }
  return [...found]
}

/**
 * Trades and kinds of business, each pointing to the words the corpus uses for its sector: a painter
 * asks about "unser Malerbetrieb", the corpus writes about "Handwerk". A query word that is one of
 * these words, or begins with one of at least SECTOR_PREFIX letters ("Malerbetrieb", "Bäckerei"),
 * adds the sector's terms. One way only: a question about the crafts does not become one about painters.
 */
const SECTORS: ReadonlyArray<{ words: string; terms: string }> = [
  {
    words:
      'Handwerk Handwerker Handwerksbetrieb Tischler Tischlerei Schreiner Schreinerei Maler Lackierer Elektriker Elektroinstallateur Installateur Klempner Sanitär Heizungsbauer Dachdecker Zimmerer Zimmerei Fliesenleger Maurer Friseur Friseurin Friseursalon Bäcker Bäckerei Konditor Konditorei Metzger Metzgerei Fleischer Fleischerei Autowerkstatt Kfz-Werkstatt Werkstatt Schornsteinfeger Glaser Glaserei Raumausstatter Goldschmied Augenoptiker Optiker Hörakustiker Zahntechniker Steinmetz Gebäudereiniger Gebäudereinigung Schlosser Schlosserei Orthopädietechniker Gärtnerei Landschaftsgärtner Meisterbetrieb',
    terms: 'Handwerk Handwerksbetrieb',
  },
  {
    words:
      'Bauunternehmen Baufirma Bauunternehmer Bauunternehmung Hochbau Tiefbau Baustelle Bauleiter Bauleitung Bauträger Architekt Architektin Architekturbüro Ingenieurbüro Straßenbau',
    terms: 'Baugewerbe Bau',
  },
  {
    words:
      'Einzelhandel Einzelhändler Händler Händlerin Ladengeschäft Ladenbesitzer Ladeninhaber Boutique Onlineshop Online-Shop Webshop Supermarkt Filiale Kiosk Fachhandel Fachgeschäft Modegeschäft Buchhandlung Drogerie',
    terms: 'Einzelhandel Händler',
  },
  {
    words:
      'Gastgewerbe Gastronomie Gastronom Gaststätte Restaurant Hotel Hotellerie Hotelier Ferienwohnung Café Kneipe Imbiss Catering Gastwirt Wirtshaus Brauerei',
    terms: 'Gastgewerbe Gastronomie Hotel',
  },
  {
    words:
      'IT-Dienstleister Softwarefirma Softwarehaus Softwareentwicklung Softwareentwickler Webagentur Digitalagentur Systemhaus IT-Firma Programmierer',
    terms: 'IT-Dienstleister Softwareentwicklung',
  },
  {
    words:
      'Logistik Spedition Spediteur Lagerhaus Lagerhalle Lagerist Lagerarbeiter Kurierdienst Paketdienst Transportunternehmen Fuhrunternehmen Fuhrpark Versandhandel Kommissionierung',
    terms: 'Logistik Lager',
  },
  {
    words:
      'Metallbau Metallverarbeitung Metallbetrieb Maschinenbau Maschinenbauer Zerspanung Dreherei Fräserei Gießerei Elektroindustrie Elektronikfertigung Industriebetrieb Zulieferer Automobilzulieferer Fertigungsbetrieb Produktionsbetrieb',
    terms: 'Metall Elektroindustrie Fertigung',
  },
  {
    words:
      'Pflegedienst Pflegeheim Altenheim Altenpflege Pflegekraft Pflegekräfte Krankenpflege Seniorenheim Sozialstation Pflegeeinrichtung Tagespflege Pflegefachkraft',
    terms: 'Pflege',
  },
  {
    words:
      'Steuerberater Steuerberaterin Steuerkanzlei Steuerbüro Buchhalter Buchhalterin Lohnbuchhaltung Finanzbuchhaltung Buchführung',
    terms: 'Rechnungswesen Buchhaltung',
  },
  {
    words:
      'Büro Sekretariat Sachbearbeitung Sachbearbeiter Sachbearbeiterin Kommune Gemeindeverwaltung Stadtverwaltung Rathaus',
    terms: 'Verwaltung Büro',
  },
]
/** A query word beginning with a sector word of at least this many letters counts as that word. */
const SECTOR_PREFIX = 5

const sectorWords = SECTORS.flatMap(({ words, terms }) =>
  words.split(' ').map((word) => ({ word: foldText(word).replace(/-/g, ''), terms })),
)

/** The sector terms of the trades and businesses a German question names (see SECTORS). */
export function sectorTerms(query: string): string[] {
  const found = new Set<string>()
  for (const raw of new Set(
    foldText(query)
      .replace(/-/g, '')
      .split(/[^a-z]+/),
  )) {
    if (raw.length < 3) continue
    for (const { word, terms } of sectorWords) {
      if (raw === word || (word.length >= SECTOR_PREFIX && raw.startsWith(word))) found.add(terms)
    }
  }
  return [...found]
}

/**
 * Question forms that ask for a topic without naming it: "Wo lohnt sich KI bei uns?" asks for use
 * cases, although neither the word nor a synonym occurs. A match adds the topic's terms. These apply
 * to English questions too: they add one topic's words, not a vocabulary.
 *
 * A form is a `lead` word and, somewhere after it, an `after` word. The two are looked for one after
 * the other instead of as one pattern `lead.*after`: that pattern rescans the rest of the text from
 * every lead word ("wo wo wo …" costs the square of the length); this way the text is scanned twice.
 */
const INTENTS: ReadonlyArray<{ lang: Lang; lead: RegExp; after: RegExp; terms: string }> = [
  {
    lang: 'de',
    lead: /\bwo(?:für|zu)?\b/iu,
    after: /\b(?:sinnvoll|lohnt|lohnen|einsetzen|einsetzbar|nutzen|nützlich|hilft|helfen|passt)/iu,
    terms: 'Anwendungsfälle finden Einsatzmöglichkeiten',
  },
  {
    lang: 'de',
    lead: /\bwelche\s+(?:aufgaben|tätigkeiten|prozesse|abläufe|bereiche)\b/iu,
    after: /\b(?:eignen|geeignet|ki)\b/iu,
    terms: 'Anwendungsfälle finden Einsatzmöglichkeiten',
  },
  {
    lang: 'en',
    lead: /\b(?:where|what\s+for)\b/iu,
    after: /\b(?:makes?\s+sense|worth|useful|help|helps|use\s+it|apply)\b/iu,
    terms: 'finding use cases',
  },
  {
    lang: 'en',
    lead: /\bwhich\s+(?:tasks|processes|activities|areas)\b/iu,
    after: /\b(?:suit|suited|suitable|ai)\b/iu,
    terms: 'finding use cases',
  },
]

/** Whether the text has the form's lead word and its `after` word after it (the first lead suffices). */
function hasForm(text: string, form: { lead: RegExp; after: RegExp }): boolean {
  const lead = form.lead.exec(text)
  return lead !== null && form.after.test(text.slice(lead.index + lead[0].length))
}

/** The terms of every topic the question asks for by its form (see INTENTS). */
export function intentTerms(query: string, lang: Lang): string[] {
  return INTENTS.filter((intent) => intent.lang === lang && hasForm(query, intent)).map((i) => i.terms)
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

// Both parts of a compound have at least this many letters ("Haus-tür" is not split, "Kompetenz-pflicht" is).
const PART = 4
/** The most split points a word can have: every cut that leaves PART letters on both sides. */
export const SPLIT_POINTS = MAX_WORD_CHARS - 2 * PART + 1
// Snowball's German stemmer removes at most 3 + 3 + 8 letters in its three steps ("-lichkeit-en-s").
const ENDING = 14

/** The word stems that compound parts are looked up in. */
export interface Vocabulary {
  knows(stem: string): boolean
  /** False when no known stem can be the stem of `part` (a cheap test before stemming it). */
  mayKnow(part: string): boolean
}

/** The corpus's stems of at least PART letters: shorter ones are too ambiguous as parts. */
function corpusVocabulary(idf: IdfTable = corpusIdf): Vocabulary {
  const stems = new Set([...idf.stems()].filter((stem) => stem.length >= PART && idf.share(stem) > 0))
  // Stemming a folded word only removes an ending of at most ENDING letters, so a part's stem begins
  // with the part's first PART letters and is at most ENDING letters shorter: a part that begins no
  // known stem, or is too long for one, is not stemmed at all. For most cuts of most words this
  // saves the stemmer, the costliest step.
  const beginnings = new Set([...stems].map((stem) => stem.slice(0, PART)))
  const longest = Math.max(0, ...[...stems].map((stem) => stem.length)) + ENDING
  return {
    knows: (stem) => stems.has(stem),
    mayKnow: (part) => part.length <= longest && beginnings.has(part.slice(0, PART)),
  }
}

const CORPUS_VOCABULARY = corpusVocabulary()

/**
 * Parts of German compounds that the corpus knows ("Kompetenzpflicht" → "kompetenz", "pflicht"), so
 * that a compound in the question meets the same words written apart in the corpus.
 *
 * Cost: each split point may stem the parts on both sides of it, so a word costs up to the square of
 * its length. Words longer than MAX_WORD_CHARS are not split (no real compound is that long): at most
 * SPLIT_POINTS split points with at most 3 × MAX_WORD_CHARS characters stemmed at each.
 */
export function compoundParts(word: string, vocabulary: Vocabulary = CORPUS_VOCABULARY): string[] {
  // Checked before folding too: folding is linear, but a huge word need not be folded at all.
  if (word.length > MAX_WORD_CHARS) return []
  const folded = foldText(word)
  if (folded.length < 9 || folded.length > MAX_WORD_CHARS || !/^[a-z]+$/.test(folded)) return []
  const known = (part: string) => vocabulary.mayKnow(part) && vocabulary.knows(germanWordStem(part))
  for (let cut = folded.length - PART; cut >= PART; cut--) {
    textWork.splitPoints++
    const right = folded.slice(cut)
    // The part after the cut first: for most cuts of most words it is no word the corpus knows.
    if (!known(right)) continue
    const left = folded.slice(0, cut)
    // German joins compounds with a linking s ("Leistungs-kontrolle").
    const head = left.endsWith('s') && !known(left) ? left.slice(0, -1) : left
    if (known(head)) return [head, right]
  }
  return []
}

/**
 * For each stem of a German question's words, the stems of the words that stand for it in the corpus:
 * the rest of its synonym group, the parts of a compound, a trade's sector. Whether a section answers
 * the question counts a word as present when one of these is ("Malerbetrieb" in a section on the
 * crafts). Empty for other languages.
 */
export function stemAlternatives(query: string): Map<string, Set<string>> {
  const alternatives = new Map<string, Set<string>>()
  const text = query.slice(0, 2000)
  if (detectTextLang(text) !== 'de') return alternatives
  for (const word of new Set(text.split(/[^\p{L}-]+/u))) {
    const [stem] = germanStems(word)
    if (stem === undefined) continue
    const found = alternatives.get(stem) ?? new Set<string>()
    const words = [
      ...(byStem.get(stem) ?? []),
      ...compoundParts(word),
      ...sectorTerms(word),
      ...borrowedTerms(word),
    ]
    for (const other of words) for (const s of germanStems(other)) if (s !== stem) found.add(s)
    if (found.size > 0) alternatives.set(stem, found)
  }
  return alternatives
}

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
  // Each distinct word once: a query that repeats one long word does the work of splitting it once.
  for (const word of new Set(query.split(/[^\p{L}]+/u)))
    for (const part of compoundParts(word)) extra.add(part)
  for (const terms of [...intents, ...sectorTerms(query), ...borrowedTerms(query)])
    for (const word of terms.split(' ')) extra.add(word)
  return extra.size ? `${query} ${[...extra].join(' ')}` : query
}
