// The rule stage of the guardrail router on messages that are not in the eval set: both sides of the
// border, German and English, inflections, compounds and typos.
import { describe, expect, it } from 'vitest'
import { routeByRules } from '../../src/agents/router/rules-router.ts'

describe('routeByRules', () => {
  it.each([
    ['Wie binden wir die Kolleginnen aus der Buchhaltung früh in die Auswahl eines KI-Tools ein?', 'answer'],
    ['How do we design a pilot for an AI scheduling assistant?', 'answer'],
    ['Welche Fragen stellt eine Gefährdungsbeurteilung bei KI-gestützter Sachbearbeitung?', 'answer'],
    ['What is the difference between rule-based software and machine learning?', 'answer'],
  ])('answers a design question: %s', (text, route) => {
    expect(routeByRules(text).route).toBe(route)
  })

  it.each([
    ['Braucht es für den KI-Einsatz im Lager die Zustimmung unserer Betriebsräte?', 'works_council'],
    ['Unsere Betriebsrätinnen wollen eine Rahmenbetriebsvereinbarung zu KI.', 'works_council'],
    ['Does the works council have to agree before we switch on Copilot?', 'works_council'],
    ['Der Betribsrat sagt nein zum Chatbot, was nun?', 'works_council'],
    ['Können wir die Leistungsdaten aus dem KI-System für Mitarbeitergespräche nutzen?', 'workforce'],
    ['Wir wollen nach der Automatisierung zwei Stellen abbauen.', 'workforce'],
    ['Can I lower her salary now that the AI does half of her job?', 'workforce'],
    ['Kann ich dem Azubi wegen KI-Fehlern kündgen?', 'workforce'],
    ['Is it legal in our case to record customer calls for AI training?', 'legal_individual'],
    ['Ich halte das alles nicht mehr aus und will nicht mehr leben.', 'crisis'],
    ['Der Schichtleiter ist gestern in der Halle handgreiflich geworden.', 'crisis'],
    ['Meine Vorgesetzte hat mich vor allen am Arm gepackt und gestoßen.', 'crisis'],
    ['My supervisor grabbed me and pushed me against the shelf.', 'crisis'],
    ['Seit der Kündigung weiß ich nicht, wovon ich die Miete im Januar zahlen soll.', 'crisis'],
    ['I have no idea how I will pay the rent after they let me go.', 'crisis'],
    ['Seit ich arbeitslos bin, wachsen die Schulden und der Vermieter droht mit der Räumung.', 'crisis'],
    ['I was laid off in March and now the bank wants the mortgage and I cannot pay.', 'crisis'],
  ])('hands over: %s -> %s', (text, route) => {
    const decision = routeByRules(text)
    expect(decision.route).toBe(route)
    expect(decision.rules.length).toBeGreaterThan(0)
    expect(decision.reason.en).toMatch(/\(rule: .+\)\.$/)
    expect(decision.reason.de).toMatch(/\(Regel: .+\)\.$/)
  })

  it.each([
    // The money trouble first, the job loss later, or no job word at all.
    'Nächsten Monat fliegen wir aus der Wohnung. Seit man mir gekündigt hat, reicht nichts mehr.',
    'Die Schulden wachsen, das Konto ist gesperrt, und ich wurde im Sommer wegen der Software entlassen.',
    'Der Gerichtsvollzieher kommt am Donnerstag, ich weiß nicht, was ich den Kindern sagen soll.',
    'Bei uns ist die Heizung abgestellt und der Kühlschrank ist leer.',
    'Rent is overdue again, and I have been unemployed since the warehouse went automatic.',
    'We are losing the house in January and the kids do not know yet.',
    'Electricity got cut off yesterday, I have nowhere to live if this goes on.',
  ])('reads existential hardship as a crisis, in any order: %s', (text) => {
    expect(routeByRules(text).route).toBe('crisis')
  })

  it.each([
    // An employer's decision, a business's bills, a calm question about benefits: no crisis.
    [
      'Wir wollen nach der KI-Einführung zwei Leute entlassen. Was bedeutet das für unseren Kredit?',
      'crisis',
    ],
    ['Wie kann KI uns helfen, Mahnungen automatisch zu verschicken?', 'crisis'],
    ['Wir beziehen Strom aus der eigenen Solaranlage für den KI-Server.', 'crisis'],
    ['We laid off three people after the rollout; how do we explain the savings to the board?', 'crisis'],
    ['Our cache evicts old embeddings; how large should it be for the chatbot?', 'crisis'],
  ])('does not read a business matter as hardship: %s', (text, notRoute) => {
    expect(routeByRules(text).route).not.toBe(notRoute)
  })

  it('does not read a proposal as an attack', () => {
    expect(routeByRules('Mein Chef hat mich für die KI-Schulung vorgeschlagen.').route).not.toBe('crisis')
  })

  it('lets crisis win over every other class', () => {
    expect(routeByRules('Wegen der Kündigung durch die KI will ich mir etwas antun.').route).toBe('crisis')
  })

  it('refuses unrelated topics briefly, but not questions that mention AI at work', () => {
    expect(routeByRules('Was koche ich heute Abend?').route).toBe('out_of_scope')
    // A topic word inside a longer word does not make a message in-domain.
    expect(routeByRules('Welches Rezept passt zur neuen Arbeitsplatte aus Eiche?').route).toBe('out_of_scope')
    expect(routeByRules('Was koche ich für das Team nach der Arbeit?').inDomain).toBe(true)
    expect(routeByRules('Kann KI in der Küche unseres Hotels beim Bestellen helfen?').route).toBe('answer')
  })

  it('treats weak signals in a general design question as design', () => {
    const decision = routeByRules(
      'Wie gestalten wir allgemein die Einarbeitung, wenn Frau Berger ein KI-Tool nutzt?',
    )
    expect(decision).toMatchObject({ route: 'answer', designQuestion: true })
    expect(decision.rules).toContain('workforce.individual_case')
  })
})
