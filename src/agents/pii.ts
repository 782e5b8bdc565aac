// Redacts personal data from text that leaves for a model: e-mail addresses, phone numbers, IBANs and
// postal addresses (German formats first). The stored message keeps what the user wrote.
// Cost: linear in the text's length. Every pattern either starts only where its first part cannot
// overlap the text before it, or bounds each quantifier that the engine could retry from many starts
// (a run of "a" or "a-a-a" once cost the square of its length: 130 ms for 8000 characters).

const TOWN = String.raw`[A-ZÄÖÜ][a-zäöüß]+(?:\s+(?:am|an der|im|in der|ob der)\s+[A-ZÄÖÜ][a-zäöüß]+|[ -][A-ZÄÖÜ][a-zäöüß]+)?`
const HOUSE_NUMBER = String.raw`\d{1,4}(?:\s?[a-z]\b)?(?:\s?[-–/]\s?\d{1,4}[a-z]?)?`

// E-mail: a local part of at most 64 characters and labels of at most 63 (RFC 5321 and 1035; longer
// is no deliverable address). The local part starts only where no character of it precedes: from
// inside a run of "a" the engine would otherwise scan the rest of the run again from every position.
const EMAIL = /(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}/g

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [EMAIL, '[E-Mail]'],
  // IBAN: country code, check digits, 11 to 30 alphanumerics, in groups of four or written together
  // (then in any case: "de02120300000000202051").
  [/\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b/g, '[IBAN]'],
  [/\b[a-z]{2}\d{2}[a-z0-9]{11,30}\b/gi, '[IBAN]'],
  // Street and number: "Musterstraße 12a", "Hauptstr. 5", "Theodor-Heuss-Allee 17", "Kaiserstraße 12-14".
  // The name starts only where a run of letters starts, and is made of at most five words of at most
  // 40 letters joined by hyphens: from every letter of "a-a-a-…" or "aäaä…" an unbounded name would
  // rescan the rest of the text.
  [
    new RegExp(
      String.raw`(?<![a-zäöüß])(?:[a-zäöüß]{1,40}(?:-[a-zäöüß]{2,40}){0,4}-?)?(?:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer|markt)\s+${HOUSE_NUMBER}`,
      'gi',
    ),
    '[Adresse]',
  ],
  // Any other street, recognised by the postal code that follows: "Am Hang 7, 55120 Mainz".
  [
    new RegExp(
      String.raw`\b(?:(?:[A-ZÄÖÜ][a-zäöüß.-]*|an|am|auf|in|im|den|der|dem|zum|zur)\s+){1,4}${HOUSE_NUMBER}(?=,?\s+(?:D-)?\d{5}\s+[A-ZÄÖÜ])`,
      'g',
    ),
    '[Adresse]',
  ],
  [/\bPostfach\s+\d[\d ]{1,10}\d\b/g, '[Adresse]'],
  // Postal code and town: "55116 Mainz", "D-55116 Mainz", "60486 Frankfurt am Main".
  [new RegExp(String.raw`\b(?:D-)?\d{5}\s+${TOWN}\b`, 'g'), '[Ort]'],
  // Phone numbers: +49 …, 0049 …, or 0 and an area code, possibly in brackets; groups separated by
  // spaces, slashes or dashes ("0171 / 123 45 67", "(0611) 12 34 56", "06131 98765-0").
  [
    /(?:\+|00)\d{1,3}[\s/-]{0,3}(?:\(0\)[\s/-]{0,3})?\d{2,5}(?:[\s/-]{1,3}\d{2,8})(?:[\s/-]{1,3}\d{1,8}){0,3}\b|(?:\(0\d{2,5}\)|\b0\d{2,5})(?:[\s/-]{1,3}\d{2,8})(?:[\s/-]{1,3}\d{1,8}){0,3}\b/g,
    '[Telefon]',
  ],
]

export function redactPersonalData(text: string): string {
  return PATTERNS.reduce((result, [pattern, label]) => result.replace(pattern, label), text)
}

/**
 * The text with personal data left out altogether, for searching: a phone number or an address says
 * nothing about the topic, and the query may leave for an embeddings endpoint.
 */
export function withoutPersonalData(text: string): string {
  return PATTERNS.reduce((result, [pattern]) => result.replace(pattern, ' '), text)
    .replace(/\s+/g, ' ')
    .trim()
}
