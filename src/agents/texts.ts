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
    moreOn: 'Mehr dazu:',
    searching: 'Ich suche in der Wissensbasis …',
    weakRetrieval:
      'Dazu finde ich in meiner Wissensbasis leider nichts Belastbares. Ich möchte Ihnen nichts Falsches sagen. ' +
      'Gern gebe ich Ihre Frage an einen menschlichen Mentor weiter: Wählen Sie „An einen Mentor übergeben“ ' +
      'oder schreiben Sie einfach „Mentor“.',
    offer:
      'Passt das nicht ganz zu Ihrer Lage? Dann gebe ich Ihre Frage gern an einen menschlichen Mentor weiter: ' +
      'Wählen Sie „An einen Mentor übergeben“ oder schreiben Sie „Mentor“.',
    offerAction: 'An einen Mentor übergeben',
    talkToHuman: 'Mit einem Menschen sprechen',
    alreadyHandedOver: 'Ihre Anfrage liegt bereits bei einem Mentor. Er antwortet Ihnen hier.',
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
    handoffLimited:
      'Bei unseren Mentorinnen und Mentoren gehen gerade sehr viele Anfragen ein, deshalb konnte ich Ihre Frage ' +
      'noch nicht weitergeben. Bitte versuchen Sie es in etwa {minutes} min noch einmal: Wählen Sie dann ' +
      '„An einen Mentor übergeben“ oder schreiben Sie „Mentor“.',
    data: {
      exportHeading:
        'Ihre Daten: alles, was der Digital-Mentor zu diesem Chat gespeichert hat (JSON, Teil {part} von {parts}).',
      nothingStored: 'Zu diesem Chat hat der Digital-Mentor nichts gespeichert.',
      eraseQuestion:
        'Möchten Sie alles löschen, was der Digital-Mentor zu diesem Chat gespeichert hat (Nachrichten, ' +
        'Übergaben an Mentorinnen und Mentoren, Bewertungen, Kontaktadresse)? Das lässt sich nicht rückgängig ' +
        'machen. Offene Anfragen an einen Mentor werden zurückgezogen.',
      eraseConfirm: 'Ja, löschen',
      eraseCancel: 'Abbrechen',
      erased:
        'Erledigt: Alles, was der Digital-Mentor zu diesem Chat gespeichert hatte, ist gelöscht. Den Verlauf, ' +
        'den Teams selbst anzeigt, speichert Microsoft Teams; er ist davon nicht betroffen. Wenn Sie weiter ' +
        'schreiben, beginnt ein neues Gespräch.',
      cancelled: 'Gut, es wurde nichts gelöscht.',
      expired:
        'Diese Bestätigung gehört zu einem früheren Gespräch. Schreiben Sie „Meine Daten löschen“, wenn Sie ' +
        'das jetzige löschen möchten.',
      personalOnly:
        'Ihre Daten können Sie im persönlichen Chat mit dem Digital-Mentor exportieren und löschen, nicht in ' +
        'einem Gruppenchat oder Kanal.',
    },
    handoff: {
      works_council:
        'Ihre Frage betrifft den Betriebsrat oder die Mitbestimmung. Solche Fragen beantwortet bei uns bewusst ' +
        'ein Mensch: Ich habe sie an einen Mentor weitergegeben. Er sieht dieses Gespräch und antwortet Ihnen hier.',
      workforce:
        'Ihre Frage betrifft Personalangelegenheiten oder einzelne Beschäftigte. Darüber entscheidet bei uns keine ' +
        'Maschine: Ich habe die Frage an einen menschlichen Mentor weitergegeben, der Ihnen hier antwortet.',
      legal_individual:
        'Ihre Frage betrifft Ihre eigene rechtliche Lage. Einen Einzelfall rechtlich zu prüfen, ist Rechtsberatung: ' +
        'Das tun weder ich noch die Mentorinnen und Mentoren. Ich habe Ihre Frage an einen menschlichen Mentor ' +
        'weitergegeben, der Ihnen Orientierung gibt und mit Ihnen den nächsten Schritt klärt. Verbindlich prüfen ' +
        'können Ihren Fall eine Anwältin oder ein Anwalt, die Rechtsberatung Ihres Verbands oder Ihrer Gewerkschaft ' +
        '(für Mitglieder) und, wenn Sie beschäftigt sind, Ihr Betriebsrat.',
      crisis:
        'Das klingt nach einer sehr schweren Lage, und ich nehme das ernst. Bitte holen Sie sich jetzt Hilfe – ' +
        'Sie müssen damit nicht allein bleiben:\n' +
        '- TelefonSeelsorge: 0800 111 0 111 oder 0800 111 0 222 oder 116 123 (kostenlos, anonym, Tag und Nacht), ' +
        'auch per Chat und E-Mail über telefonseelsorge.de\n' +
        '- Bei Gefahr für Leib und Leben: Notruf 112 (Rettungsdienst) oder 110 (Polizei)\n' +
        '- Im Ausland: die örtliche Notrufnummer, in der EU 112\n\n' +
        'Zusätzlich habe ich einen menschlichen Mentor dringend benachrichtigt; er meldet sich hier bei Ihnen. ' +
        'Das ersetzt keine Hilfe in einer akuten Notlage.',
      human:
        'Gern: Ich habe Ihr Anliegen an einen menschlichen Mentor weitergegeben. Er sieht dieses Gespräch und ' +
        'antwortet Ihnen hier.',
    },
    furtherReading: 'Zum Weiterlesen aus der Wissensbasis:',
    /** A mentor's draft reply: a letter from a person (agents/letter.ts). */
    letter: {
      greeting: 'Guten Tag,',
      greetingNamed: 'Guten Tag {name},',
      why: 'Warum:',
      nextSteps: 'Nächste Schritte:',
      steps: [
        'Die Einzelheiten finden Sie in den genannten Quellen.',
        'Wenn Ihre Lage anders ist oder Fragen offen bleiben, antworten Sie einfach auf diese Nachricht.',
      ],
      closing: 'Viele Grüße',
    },
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
    moreOn: 'More on this:',
    searching: 'Searching the knowledge base …',
    weakRetrieval:
      'I could not find anything reliable on this in my knowledge base, and I do not want to tell you something ' +
      'wrong. I can pass your question to a human mentor: choose "Hand over to a mentor" or just write "mentor".',
    offer:
      'Does this not quite fit your situation? Then I will gladly pass your question to a human mentor: choose ' +
      '"Hand over to a mentor" or write "mentor".',
    offerAction: 'Hand over to a mentor',
    talkToHuman: 'Talk to a person',
    alreadyHandedOver: 'Your request is already with a mentor, who will answer you here.',
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
    handoffLimited:
      'Our mentors are receiving very many requests right now, so I could not pass your question on yet. ' +
      'Please try again in about {minutes} min: choose "Hand over to a mentor" or write "mentor".',
    data: {
      exportHeading:
        'Your data: everything the Digital-Mentor has stored about this chat (JSON, part {part} of {parts}).',
      nothingStored: 'The Digital-Mentor has stored nothing about this chat.',
      eraseQuestion:
        'Do you want to delete everything the Digital-Mentor has stored about this chat (messages, handoffs to ' +
        'mentors, ratings, contact address)? This cannot be undone. Open requests to a mentor are withdrawn.',
      eraseConfirm: 'Yes, delete',
      eraseCancel: 'Cancel',
      erased:
        'Done: everything the Digital-Mentor had stored about this chat is deleted. The history that Teams ' +
        'itself shows is stored by Microsoft Teams and is not affected. If you write again, a new conversation ' +
        'begins.',
      cancelled: 'All right, nothing was deleted.',
      expired:
        'This confirmation belongs to an earlier conversation. Write "Delete my data" if you want to delete the ' +
        'current one.',
      personalOnly:
        'You can export and delete your data in your personal chat with the Digital-Mentor, not in a group chat ' +
        'or channel.',
    },
    handoff: {
      works_council:
        'Your question concerns the works council or co-determination. We deliberately leave such questions to a ' +
        'person: I have passed it to a mentor, who sees this conversation and will answer you here.',
      workforce:
        'Your question concerns personnel matters or individual employees. No machine decides on those here: I ' +
        'have passed it to a human mentor, who will answer you here.',
      legal_individual:
        'Your question concerns your own legal situation. Checking an individual case is legal advice, which ' +
        'neither I nor the mentors give. I have passed your question to a human mentor, who will give you ' +
        'orientation and help you find the next step. A lawyer, the legal service of your association or union ' +
        '(for members) and, if you are an employee, your works council can assess your case.',
      crisis:
        'That sounds like a very hard situation, and I take it seriously. Please get help now – you do not have to ' +
        'face this alone:\n' +
        '- In Germany, TelefonSeelsorge: 0800 111 0 111 or 0800 111 0 222 or 116 123 (free, anonymous, day and ' +
        'night), also by chat and e-mail at telefonseelsorge.de\n' +
        '- If a life is in danger: call 112 (ambulance) or 110 (police) in Germany\n' +
        '- Elsewhere: your local emergency number, 112 anywhere in the EU\n\n' +
        'I have also alerted a human mentor as urgent, who will get back to you here. This does not replace help ' +
        'in an acute emergency.',
      human:
        'Of course: I have passed your request to a human mentor, who sees this conversation and will answer you ' +
        'here.',
    },
    furtherReading: 'Further reading from the knowledge base:',
    letter: {
      greeting: 'Hello,',
      greetingNamed: 'Hello {name},',
      why: 'Why:',
      nextSteps: 'Next steps:',
      steps: [
        'You will find the details in the sources named.',
        'If your situation is different or questions remain, simply reply to this message.',
      ],
      closing: 'Kind regards',
    },
    outOfScope:
      'I am afraid I cannot help with that. I specialise in AI in companies and good work design – happy to help ' +
      'with questions on that.',
  },
} as const

export function t(locale: Locale) {
  return texts[locale]
}

/** "Stand: November 2026" / "as of November 2026": how a cited document's review date is shown. */
export function standOf(locale: Locale, reviewed: string): string {
  const at = new Date(`${reviewed}T12:00:00Z`)
  if (Number.isNaN(at.getTime())) return ''
  const month = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'de-DE', {
    month: 'long',
    year: 'numeric',
  }).format(at)
  return locale === 'en' ? `as of ${month}` : `Stand: ${month}`
}

/** The reply when the handoff limit refused a new ticket: when to ask again. */
export function handoffLimitedText(locale: Locale, minutes: number): string {
  return texts[locale].handoffLimited.replace('{minutes}', String(minutes))
}

export function handoffText(locale: Locale, route: RouteClass): string {
  const own = texts[locale].handoff as Record<string, string>
  return own[route] ?? texts[locale].handoff.workforce
}
