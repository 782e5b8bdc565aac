// What the Teams channel says besides the mentor's own texts (src/agents/texts.ts): progress while an
// answer is slow, the title of the handoff card, and the note when a turn could not be completed.
// German first, English second.
import type { Locale } from '../../agents/texts.ts'

const texts = {
  de: {
    stillWorking: 'Ich arbeite noch an Ihrer Antwort …',
    handedOver: 'An einen menschlichen Mentor übergeben',
    failed: 'Das hat leider nicht geklappt. Bitte stellen Sie Ihre Frage gleich noch einmal.',
  },
  en: {
    stillWorking: 'Still working on your answer …',
    handedOver: 'Handed over to a human mentor',
    failed: 'Sorry, that did not work. Please ask your question again in a moment.',
  },
} as const satisfies Record<Locale, Record<string, string>>

export const teamsText = (locale: Locale) => texts[locale]
