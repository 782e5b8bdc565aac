// Personal data never reaches a model: German formats first (phone numbers as people write them,
// IBANs spaced and compact, street addresses with and without a street suffix), and international ones.
import { describe, expect, it } from 'vitest'
import { redactPersonalData, withoutPersonalData } from '../../src/agents/pii.ts'

describe('redactPersonalData', () => {
  it.each([
    ['Schreiben Sie an anna.schmidt@beispiel-gmbh.de bitte.', 'Schreiben Sie an [E-Mail] bitte.'],
    ['Rufen Sie mich an: 0611 123456', 'Rufen Sie mich an: [Telefon]'],
    ['Mobil +49 151 23456789 oder 06131/987654', 'Mobil [Telefon] oder [Telefon]'],
    ['Tel. +49 (0)611 123456 bitte', 'Tel. [Telefon] bitte'],
    ['Handy 0171-1234567.', 'Handy [Telefon].'],
    ['Handy 0171 / 123 45 67', 'Handy [Telefon]'],
    ['Festnetz (0611) 12 34 56', 'Festnetz [Telefon]'],
    ['Durchwahl 0611/123-456', 'Durchwahl [Telefon]'],
    ['Zentrale 0049 89 1234567, Fax 06131 98765-0', 'Zentrale [Telefon], Fax [Telefon]'],
    ['IBAN DE89 3704 0044 0532 0130 00 für die Rückzahlung', 'IBAN [IBAN] für die Rückzahlung'],
    ['IBAN DE89370400440532013000.', 'IBAN [IBAN].'],
    ['iban de02120300000000202051 bitte', 'iban [IBAN] bitte'],
    ['AT61 1904 3002 3457 3201 oder CH93 0076 2011 6238 5295 7', '[IBAN] oder [IBAN]'],
    ['Wir sitzen in der Musterstraße 12a, 55116 Mainz.', 'Wir sitzen in der [Adresse], [Ort].'],
    ['Lieferung an Am Markt 3 bitte', 'Lieferung an Am [Adresse] bitte'],
    ['Hauptstr. 5 in Mainz', '[Adresse] in Mainz'],
    ['Theodor-Heuss-Allee 17, 60486 Frankfurt am Main', '[Adresse], [Ort]'],
    ['Kaiserstraße 12-14, D-55116 Mainz', '[Adresse], [Ort]'],
    ['Am Hang 7, 55120 Mainz-Mombach', '[Adresse], [Ort]'],
    ['Unter den Linden 77, 10117 Berlin', '[Adresse], [Ort]'],
    ['Postfach 10 20 30, 55116 Mainz', '[Adresse], [Ort]'],
    [
      'Kontakt: Dr. Anna Schmidt, anna.schmidt@beispiel-gmbh.de, +49 6131 987654',
      'Kontakt: Dr. Anna Schmidt, [E-Mail], [Telefon]',
    ],
  ])('redacts %s', (input, expected) => {
    expect(redactPersonalData(input)).toBe(expected)
  })

  it.each([
    'Seit 2021 gilt § 90 BetrVG; 20 Beschäftigte, 3 Pilotphasen, Art. 4 ab 2. Februar 2025.',
    'Die Schulung dauert 2 Tage à 8 Stunden, Budget 12.500 Euro, ISO 27001, DIN EN 16247.',
    'Im Jahr 2024 hatten 35 % der KMU mit 10 bis 249 Beschäftigten KI im Einsatz.',
    'Unsere Öffnungszeiten: 08 bis 17 Uhr, Termin am 03.04.2025, Version 2.0.1.',
  ])('leaves ordinary numbers, years and norms alone: %s', (text) => {
    expect(redactPersonalData(text)).toBe(text)
  })

  it('leaves personal data out of a search query altogether', () => {
    expect(withoutPersonalData('Tel. 0171 2345678, anna@firma.de: Wie starten wir mit KI?')).toBe(
      'Tel. , : Wie starten wir mit KI?',
    )
  })
})
