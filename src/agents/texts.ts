// Everything the mentor itself says to users in a conversation, German first, English second.
import type { RouteClass } from './router/route-class.ts'

export type Locale = 'de' | 'en'

const texts = {
  de: {
    disclosure:
      'Hinweis: Sie sprechen mit dem Digital-Mentor, einem KI-System. Die Antworten werden automatisch aus einer ' +
      'kuratierten Wissensbasis erstellt und können Fehler enthalten. Fragen zu Betriebsrat, Mitbestimmung, ' +
      'Personalangelegenheiten und rechtlichen Einzelfällen beantwortet ein menschlicher Mentor.',
    greeting:
      'Guten Tag! Ich helfe Ihnen, KI im Betrieb zu erkennen, zu bewerten und gut einzuführen – mit Blick auf ' +
      'Führung, Chancengleichheit, Gesundheit sowie Wissen und Kompetenz. Was möchten Sie wissen?',
    extractiveLabel: 'Auszug aus der Wissensbasis (ohne KI-Sprachmodell zusammengestellt):',
    searching: 'Ich suche in der Wissensbasis …',
    weakRetrieval:
      'Dazu finde ich in meiner Wissensbasis leider nichts Belastbares. Ich möchte Ihnen nichts Falsches sagen. ' +
      'Gern gebe ich Ihre Frage an einen menschlichen Mentor weiter – schreiben Sie dazu einfach „Mentor“.',
    modelFallback:
      'Das Sprachmodell ist gerade nicht erreichbar; hier ist deshalb ein Auszug aus der Wissensbasis.',
    modelRejected:
      'Die Antwort des Sprachmodells hat unsere Prüfung nicht bestanden (Sprache oder Quellenangaben); hier ist ' +
      'deshalb ein Auszug aus der Wissensbasis.',
    modelBusy:
      'Gerade stellen sehr viele Menschen Fragen; damit Sie nicht warten müssen, hier ein Auszug aus der Wissensbasis.',
    interrupted:
      'Die Antwort wurde unterbrochen, weil der Dienst neu startet. Bitte stellen Sie Ihre Frage gleich noch einmal.',
    rateLimited:
      'Sie schreiben gerade sehr schnell. Bitte warten Sie einen Moment und fragen Sie dann erneut.',
    handoff: {
      works_council:
        'Ihre Frage betrifft den Betriebsrat oder die Mitbestimmung. Solche Fragen beantwortet bei uns bewusst ' +
        'ein Mensch: Ich habe sie an einen Mentor weitergegeben. Er sieht dieses Gespräch und antwortet Ihnen hier.',
      workforce:
        'Ihre Frage betrifft Personalangelegenheiten oder einzelne Beschäftigte. Darüber entscheidet bei uns keine ' +
        'Maschine: Ich habe die Frage an einen menschlichen Mentor weitergegeben, der Ihnen hier antwortet.',
      legal_individual:
        'Eine Einschätzung Ihres konkreten Falls wäre Rechtsberatung, die ich nicht geben darf. Ich habe Ihre ' +
        'Frage an einen menschlichen Mentor weitergegeben; für verbindliche Auskünfte wenden Sie sich bitte auch ' +
        'an eine Rechtsberatung, etwa Ihres Verbands.',
      crisis:
        'Es tut mir leid, dass es Ihnen gerade so geht. Bitte holen Sie sich sofort Hilfe: Notruf 112, ' +
        'TelefonSeelsorge 0800 111 0 111 oder 0800 111 0 222 (kostenlos, rund um die Uhr). Ich habe einen ' +
        'menschlichen Mentor informiert.',
    },
    nextSteps:
      'Wie es weitergeht: Ein Mentor Ihres Verbands übernimmt die Anfrage und antwortet in diesem Gespräch. ' +
      'Wenn Sie möchten, hinterlassen Sie eine E-Mail-Adresse für die Antwort.',
    furtherReading: 'Zum Weiterlesen aus der Wissensbasis:',
    outOfScope:
      'Dabei kann ich leider nicht helfen. Ich bin auf Fragen rund um KI im Betrieb und gute Arbeitsgestaltung ' +
      'spezialisiert – dazu frage ich gern nach.',
  },
  en: {
    disclosure:
      'Please note: you are talking to the Digital-Mentor, an AI system. Its answers are generated automatically ' +
      'from a curated knowledge base and may contain errors. Questions about works councils, co-determination, ' +
      'personnel matters and individual legal cases are answered by a human mentor.',
    greeting:
      'Hello! I help you recognise, evaluate and introduce AI in your company – with an eye on leadership, ' +
      'equal opportunities, health, and knowledge and competence. What would you like to know?',
    extractiveLabel: 'Excerpt from the knowledge base (compiled without an AI language model):',
    searching: 'Searching the knowledge base …',
    weakRetrieval:
      'I could not find anything reliable on this in my knowledge base, and I do not want to tell you something ' +
      'wrong. I can pass your question to a human mentor – just write "mentor".',
    modelFallback:
      'The language model is not reachable right now, so here is an excerpt from the knowledge base.',
    modelRejected:
      'The language model’s answer did not pass our checks (language or source references), so here is an ' +
      'excerpt from the knowledge base.',
    modelBusy:
      'Very many people are asking questions right now; so that you need not wait, here is an excerpt from the ' +
      'knowledge base.',
    interrupted:
      'The answer was interrupted because the service is restarting. Please ask your question again in a moment.',
    rateLimited: 'You are writing very fast. Please wait a moment and then ask again.',
    handoff: {
      works_council:
        'Your question concerns the works council or co-determination. We deliberately leave such questions to a ' +
        'person: I have passed it to a mentor, who sees this conversation and will answer you here.',
      workforce:
        'Your question concerns personnel matters or individual employees. No machine decides on those here: I ' +
        'have passed it to a human mentor, who will answer you here.',
      legal_individual:
        'Assessing your specific case would be legal advice, which I must not give. I have passed your question to ' +
        'a human mentor; for binding advice please also consult a lawyer or your association’s legal service.',
      crisis:
        'I am sorry you are going through this. Please get help now: emergency number 112, or the German crisis ' +
        'line TelefonSeelsorge 0800 111 0 111 (free, around the clock). I have alerted a human mentor.',
    },
    nextSteps:
      'What happens next: a mentor of your association takes over and answers in this conversation. If you like, ' +
      'leave an e-mail address for the reply.',
    furtherReading: 'Further reading from the knowledge base:',
    outOfScope:
      'I am afraid I cannot help with that. I specialise in AI in companies and good work design – happy to help ' +
      'with questions on that.',
  },
} as const

export function t(locale: Locale) {
  return texts[locale]
}

export function handoffText(locale: Locale, route: RouteClass): string {
  const own = texts[locale].handoff as Record<string, string>
  return own[route] ?? texts[locale].handoff.workforce
}
