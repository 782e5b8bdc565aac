// Text as the guardrails read it: invisible characters removed, look-alike letters mapped to Latin,
// digits inside words read as the letters they stand for, hyphenated and split words also joined.
// Without this, "Betriebs\u00adrat", "Bеtriebsrat" (Cyrillic е) or "Betr1ebsrat" slip past every rule.
// Cost: linear in the text's length (each pass is one scan; MAX_ROUTING_CHARS bounds the input).

/** The router reads at most this much of a message: far longer than any question, bounds its work. */
export const MAX_ROUTING_CHARS = 8000

// Format characters (soft hyphen, zero-width space and joiners, bidi marks, word joiner, BOM) and
// variation selectors: invisible, and common in text copied from websites.
const INVISIBLE = /\p{Cf}|\u034f|[\ufe00-\ufe0f]/gu

// Cyrillic and Greek letters that look like Latin ones (Unicode's confusables, the common subset).
const CONFUSABLES: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  һ: 'h',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ӏ: 'l',
  А: 'A',
  В: 'B',
  Е: 'E',
  Ё: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  У: 'Y',
  Х: 'X',
  І: 'I',
  Ї: 'I',
  Ј: 'J',
  Ѕ: 'S',
  Һ: 'H',
  Ԁ: 'D',
  α: 'a',
  β: 'b',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ν: 'v',
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
}
const CONFUSABLE = new RegExp(`[${Object.keys(CONFUSABLES).join('')}]`, 'g')

// Digits people type for letters ("K1", "Betr1ebsrat", "k0ndigung"). Only inside a word that also has
// letters on both sides of the digit, so that "§ 87", "2027" and "0800 111 0 111" stay as they are.
const LEET: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't' }
const LEET_IN_WORD = /(?<=\p{L})[013457](?=\p{L})/gu

/** The message as the guardrails read it; what is stored and shown keeps the user's own characters. */
export function normalizeForRouting(text: string): string {
  const cleaned = text
    .slice(0, MAX_ROUTING_CHARS)
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(CONFUSABLE, (ch) => CONFUSABLES[ch] ?? ch)
    .replace(LEET_IN_WORD, (ch) => LEET[ch] ?? ch)
  return `${cleaned}${joinedVariants(cleaned)}`
}

// "Betriebs-Rat", "Betriebs- Rat" and "Leistungs - Kontrolle" are also read as one word; so is a split
// compound whose first part ends in a linking "s" ("Betriebs Rat", "Arbeits Zeit"). The joined forms
// are appended, so that patterns for the separate words still match too. Word by word, no regular
// expression that could backtrack: linear in the text.
const DASH = /^[-‐‑–]$/
const LETTERS = /^\p{L}{2,40}$/u
const HYPHENATED_WORD = /^\p{L}{2,40}(?:[-‐‑–]\p{L}{2,40})+$/u

function joinedVariants(text: string): string {
  const words = text.split(/\s+/).map(trimToLetters)
  const joined: string[] = []
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? ''
    if (HYPHENATED_WORD.test(word))
      joined.push(word.replace(/[-‐‑–](\p{L})/gu, (_, l: string) => l.toLowerCase()))
    const next = words[i + 1] ?? ''
    // "Betriebs- Rat", "Betriebs -Rat", "Betriebs - Rat"
    const dashed = word.endsWith('-') || next.startsWith('-') || DASH.test(next)
    if (dashed) {
      const left = word.replace(/-$/, '')
      const right = DASH.test(next) ? (words[i + 2] ?? '') : next.replace(/^-/, '')
      if (LETTERS.test(left) && LETTERS.test(right)) joined.push(`${left}${right.toLowerCase()}`)
    } else if (
      LETTERS.test(word) &&
      LETTERS.test(next) &&
      word.length >= 4 &&
      word.endsWith('s') &&
      next.length >= 3
    )
      joined.push(`${word}${next.toLowerCase()}`)
  }
  return joined.length ? ` (${joined.join(' ')})` : ''
}

/** The word without the punctuation around it, a dash at either end kept (a loop: no backtracking). */
function trimToLetters(word: string): string {
  const letter = /\p{L}/u
  let start = 0
  let end = word.length
  while (start < end && !letter.test(word[start] ?? '')) start++
  while (end > start && !letter.test(word[end - 1] ?? '')) end--
  const lead = start > 0 && DASH.test(word[start - 1] ?? '') ? '-' : ''
  const trail = end < word.length && DASH.test(word[end] ?? '') ? '-' : ''
  return `${lead}${word.slice(start, end)}${trail}`
}
