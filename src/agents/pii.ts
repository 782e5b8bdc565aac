// Redacts personal data from text that leaves for a model: e-mail addresses, phone numbers, IBANs and
// postal addresses (German formats first). The stored message keeps what the user wrote.

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[E-Mail]'],
  // IBAN: country code, check digits, 11 to 30 alphanumerics, with or without groups of four.
  [/\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b/g, '[IBAN]'],
  // Street and number: "Musterstraße 12a", "Am Markt 3", "Hauptstr. 5".
  [
    /\b(?:[A-ZÄÖÜ][a-zäöüß-]*)?(straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer|markt)\s+\d+(?:\s?[a-z]\b)?/gi,
    '[Adresse]',
  ],
  // Postal code and town: "55116 Mainz".
  [/\b\d{5}\s+[A-ZÄÖÜ][a-zäöüß]+(?:[ -][A-ZÄÖÜ][a-zäöüß]+)?\b/g, '[Ort]'],
  // Phone numbers: +49 …, 0049 …, 0 then area code; groups separated by spaces, slashes or dashes.
  [
    /(?:\+|00)\d{1,3}[\s/-]?(?:\(0\))?\d{2,5}(?:[\s/-]?\d{2,8}){1,3}|\b0\d{2,5}(?:[\s/-]?\d{2,8}){1,3}\b/g,
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
