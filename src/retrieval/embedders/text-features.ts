// Language-aware tokens for German and English (folding, stop words, Snowball stems) and feature hashing.
// Cost: every function here is linear in the text's length. The one step that is not by itself,
// Snowball stemming (its German prelude rebuilds the word for each u or y between vowels, quadratic
// in the word's length), only ever sees words of at most MAX_WORD_CHARS characters.
import { stemmer as stemEnglish } from '@orama/stemmers/english'
import { stemmer as stemGerman } from '@orama/stemmers/german'

/** Lower case, umlauts and ß folded (ä→a), accents removed: "Räte", "Raete" and "Rate" meet. */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .replace(/ä/g, 'a')
    .replace(/ö/g, 'o')
    .replace(/ü/g, 'u')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
}

// Function words, in folded form. They carry no topic, and they tell the two languages apart.
const GERMAN_STOP_WORDS = new Set(
  `aber alle allem allen aller alles als also am an ander andere anderen auch auf aus bei beim bin bis bist
  da damit dann das dass dazu dein dem den denn der des dessen die dies diese diesem diesen dieser dieses doch
  dort du durch ein eine einem einen einer eines er es etwa euch euer fur gegen gibt hab habe haben hat hatte
  hier hin ich ihm ihn ihnen ihr ihre ihrem ihren ihrer im in ins ist ja jede jedem jeden jeder jedes jetzt kann
  kein keine konnen konnte man mehr mein meine mich mir mit muss mussen nach nicht noch nun nur ob oder ohne
  sehr sein seine sich sie sind so solche soll sollen sollte sondern sonst uber um und uns unser unsere unter
  vom von vor war waren warum was weil welche welchem welchen welcher welches wenn wer werde werden wie wieder
  will wir wird wo wollen wurde wurden zu zum zur zwar zwischen viel viele eigentlich uberhaupt einfach
  meinem meinen meiner meines deinem deinen deiner deines unserem unseren unserer unseres eurem euren eurer
  seinem seinen seiner seines ihres jenem jenen heraus raus darf durfen etwas mal bitte ganz schon
  immer sowie bzw usw sollten musste mochte mochten gerne gern genau dabei daran darauf davon dafur`.split(
    /\s+/,
  ),
)
const ENGLISH_STOP_WORDS = new Set(
  `a about above after again all am an and any are as at be because been before being below between both but
  by can could did do does doing down during each few for from further had has have having he her here hers
  how i if in into is it its itself just me more most my no nor not now of off on once only or other our ours
  out over own same she should so some such than that the their theirs them then there these they this those
  through to too under until up very was we were what when where which while who whom why will with would
  you your yours`.split(/\s+/),
)

export type TextLang = 'de' | 'en'

/**
 * Tokens longer than this (folded) are no words and are left out: the corpus's longest word has 33
 * letters ("Betriebsrätemodernisierungsgesetz"), real German compounds stay well under 64. It bounds
 * the work of stemming and of splitting compounds per word.
 */
export const MAX_WORD_CHARS = 64

/**
 * The work the text algorithms have done in this process, counted in their own units: characters
 * handed to the stemmer, and split points of compounds tried (thesaurus.ts). Counted, not timed, so
 * that tests can check deterministically that the work grows linearly with the input.
 */
export const textWork = { stemmedChars: 0, splitPoints: 0 }

/** German or English, by which language's function words the text uses more; `fallback` on a tie. */
export function detectLang(tokens: readonly string[], fallback: TextLang = 'de'): TextLang {
  let german = 0
  let english = 0
  for (const token of tokens) {
    if (GERMAN_STOP_WORDS.has(token)) german++
    if (ENGLISH_STOP_WORDS.has(token)) english++
  }
  return english > german ? 'en' : german > english ? 'de' : fallback
}

/** The language of a whole text, by its function words. */
export function detectTextLang(text: string, fallback: TextLang = 'de'): TextLang {
  return detectLang(foldText(text).split(/[^a-z0-9]+/), fallback)
}

/**
 * Content-word stems of a text, in order, stemmed by the Snowball stemmer of its language. Tokens
 * longer than MAX_WORD_CHARS are left out.
 */
export function contentStems(text: string): string[] {
  const tokens = foldText(text)
    .split(/[^a-z0-9]+/)
    .filter((token) => token.length >= 2 && token.length <= MAX_WORD_CHARS)
  const lang = detectLang(tokens)
  const stem = lang === 'en' ? stemEnglish : stemGerman
  return tokens
    .filter((t) => !GERMAN_STOP_WORDS.has(t) && !ENGLISH_STOP_WORDS.has(t))
    .map((t) => {
      textWork.stemmedChars += t.length
      return stem(t)
    })
}

/**
 * The stem of one folded German word (letters a-z, at most MAX_WORD_CHARS), '' for a function word:
 * what contentStems gives for it in a German text, without the work of tokenising a text.
 */
export function germanWordStem(word: string): string {
  if (word.length < 2 || word.length > MAX_WORD_CHARS) return ''
  if (GERMAN_STOP_WORDS.has(word) || ENGLISH_STOP_WORDS.has(word)) return ''
  textWork.stemmedChars += word.length
  return stemGerman(word)
}

/** FNV-1a, 32 bit: a fast, stable string hash for feature hashing and fingerprints. */
export function fnv1a(text: string, seed: number): number {
  let hash = 0x811c9dc5 ^ seed
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}
