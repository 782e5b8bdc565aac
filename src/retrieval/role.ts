// Whose perspective a message is written from, when the conversation has no role set: a works-council
// member, an employee about their own workplace, a manager about their staff, or a consultant. Only
// explicit signals count; most questions name none, and then no perspective is preferred.
import { Audience } from './corpus-schema.ts'
import { foldText } from './embedders/text-features.ts'

// Patterns over folded text (lower case, ä→a, ß→ss). The first that matches decides; the order puts
// the most specific first ("als Betriebsrat" beats "unsere Mitarbeiter").
const SIGNALS: ReadonlyArray<readonly [Audience, RegExp]> = [
  [
    'works_council',
    /\b(als|wir im|ich bin (im|der|die)?|bin im|wir sind (der|im)?|mitglied (des|im)) ?betriebsrat|\bbetriebsratsmitglied|\bbetriebsratsvorsitzende|\bwir als (betriebsrat|personalrat|mitarbeitervertretung)|\b(as a|i am on the|i'?m on the|we are the|our) works council (member|we|i)?|\bworks council member\b/,
  ],
  [
    'consultants',
    /\b(als|ich bin) (berater|beraterin|unternehmensberater|consultant)\b|\bmeine(n|r)? (kunden|mandanten|klienten)\b|\b(as a|i am an?|i'?m an?) (consultant|adviser|advisor)\b|\bmy clients\b/,
  ],
  [
    'employees',
    /\b(ich bin|als) (mitarbeiter|mitarbeiterin|angestellte|angestellter|beschaftigte|beschaftigter|arbeitnehmer|arbeitnehmerin|azubi|auszubildende|sachbearbeiter|sachbearbeiterin)\b|\bmein(e|em|en|er)? (chef|chefin|arbeitgeber|arbeitgeberin|vorgesetzte|vorgesetzter|vorgesetzten|abteilungsleiter|teamleiter|teamleiterin)\b|\bmeinen job\b|\bmeinen arbeitsplatz\b|\bmy (boss|employer|manager|supervisor|line manager)\b|\bmy (own )?job\b|\b(as an|i am an?|i'?m an?) (employee|worker)\b/,
  ],
  [
    'management',
    /\b(als|ich bin) (geschaftsfuhrer|geschaftsfuhrerin|inhaber|inhaberin|fuhrungskraft|chef|chefin|personalleiter|personalleiterin|unternehmer|unternehmerin)\b|\b(meine|unsere) (mitarbeiter|mitarbeiterinnen|mitarbeitenden|beschaftigten|belegschaft|angestellten|leute)\b|\bmy (employees|staff|team members|workforce)\b|\bour (employees|staff|workforce)\b|\b(as a|i am a|i'?m a) (manager|business owner|ceo|founder|managing director)\b/,
  ],
]

/** The role a message speaks from, or undefined when it names none. */
export function detectRole(text: string): Audience | undefined {
  // Roles are named early in a message; the bound keeps the work small for long inputs.
  const folded = foldText(text.slice(0, 2000))
  return SIGNALS.find(([, pattern]) => pattern.test(folded))?.[0]
}

/** A stored role (a text column) as an audience, or undefined when it is none. */
export const asAudience = (value: string | null | undefined): Audience | undefined =>
  Audience.safeParse(value).data
