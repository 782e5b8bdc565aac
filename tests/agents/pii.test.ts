// Personal data never reaches a model: German and international formats.
import { describe, expect, it } from 'vitest'
import { redactPersonalData, withoutPersonalData } from '../../src/agents/pii.ts'

describe('redactPersonalData', () => {
  it.each([
    ['Schreiben Sie an anna.schmidt@beispiel-gmbh.de bitte.', 'Schreiben Sie an [E-Mail] bitte.'],
    ['Rufen Sie mich an: 0611 123456', 'Rufen Sie mich an: [Telefon]'],
    ['Mobil +49 151 23456789 oder 06131/987654', 'Mobil [Telefon] oder [Telefon]'],
    ['IBAN DE89 3704 0044 0532 0130 00 für die Rückzahlung', 'IBAN [IBAN] für die Rückzahlung'],
    ['IBAN DE89370400440532013000.', 'IBAN [IBAN].'],
    ['Wir sitzen in der Musterstraße 12a, 55116 Mainz.', 'Wir sitzen in der [Adresse], [Ort].'],
    ['Lieferung an Am Markt 3 bitte', 'Lieferung an Am [Adresse] bitte'],
  ])('redacts %s', (input, expected) => {
    expect(redactPersonalData(input)).toBe(expected)
  })

  it('leaves ordinary numbers and years alone', () => {
    const text = 'Seit 2021 gilt § 90 BetrVG; 20 Beschäftigte, 3 Pilotphasen, Art. 4 ab 2. Februar 2025.'
    expect(redactPersonalData(text)).toBe(text)
  })

  it('leaves personal data out of a search query altogether', () => {
    expect(withoutPersonalData('Tel. 0171 2345678, anna@firma.de: Wie starten wir mit KI?')).toBe(
      'Tel. , : Wie starten wir mit KI?',
    )
  })
})
