// Why the router decided as it did, in words a mentor reads in the queue: German and English.
import type { RouteClass } from './route-class.ts'

export interface Reason {
  de: string
  en: string
}

const CLASS: Record<RouteClass, Reason> = {
  crisis: { de: 'Anzeichen einer Krise', en: 'Signs of a crisis' },
  human: { de: 'Die Person möchte mit einem Menschen sprechen', en: 'The user asks for a person' },
  works_council: {
    de: 'Ein Thema des Betriebsrats oder der Mitbestimmung',
    en: 'A works-council or co-determination topic',
  },
  workforce: { de: 'Eine Personalangelegenheit', en: 'A personnel matter' },
  legal_individual: {
    de: 'Eine Frage zur eigenen rechtlichen Lage',
    en: 'A question about the user’s own legal situation',
  },
  out_of_scope: { de: 'Außerhalb des Themenfelds des Mentors', en: 'Outside the mentor’s field' },
  answer: { de: 'Eine allgemeine Gestaltungsfrage', en: 'A general design question' },
}

const percent = (p: number) => `${Math.round(p * 100)} %`

/** A rule decided; `rules` are the ids of the rules of that class that matched. */
export function ruleReason(route: RouteClass, rules: readonly string[]): Reason {
  const which = rules.map((id) => id.split('.')[1]?.replaceAll('_', ' ')).join(', ')
  return { de: `${CLASS[route].de} (Regel: ${which}).`, en: `${CLASS[route].en} (rule: ${which}).` }
}

/** The classifier decided, with its probability of that class (or of any handoff). */
export function classifierReason(route: RouteClass, probability: number): Reason {
  return {
    de: `${CLASS[route].de} (Klassifikator, ${percent(probability)}).`,
    en: `${CLASS[route].en} (classifier, ${percent(probability)}).`,
  }
}

/** An answer with a mentor offered beside it: the classifier was unsure. */
export function offerReason(probability: number): Reason {
  return {
    de: `Allgemeine Antwort mit Angebot eines Mentors: Der Klassifikator war unsicher (Übergabe ${percent(probability)}).`,
    en: `A general answer with a mentor offered: the classifier was unsure (handoff ${percent(probability)}).`,
  }
}

export const NO_RULE: Reason = {
  de: 'Keine Schutzregel greift; eine allgemeine Frage.',
  en: 'No guardrail rule matched; a general question.',
}

export const DESIGN_QUESTION: Reason = {
  de: 'Eine allgemeine Gestaltungsfrage; die Personal- oder Rechtsbegriffe darin betreffen keinen Einzelfall.',
  en: 'A general design question; the personnel or legal words in it are not about a particular case.',
}

export const EXPLICIT_REQUEST: Reason = {
  de: 'Die Person hat ausdrücklich um einen Menschen gebeten.',
  en: 'The user explicitly asked for a person.',
}

/** The model decided; its own reason is English. */
export function modelReason(route: RouteClass, reason: string): Reason {
  return { de: `${CLASS[route].de} (Sprachmodell: ${reason})`, en: `${CLASS[route].en} (model: ${reason})` }
}
