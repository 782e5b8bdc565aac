// The rule lexicon of the guardrail router, German and English, as patterns over folded text
// (lower case, ä→a, ö→o, ü→u, ß→ss). Patterns match word stems, so inflections and compounds
// ("Betriebsrätin", "Leistungskontrolle") match too; common misspellings are spelled out.
import { INSTRUCTION_TO_AI } from '../injection.ts'
import type { RouteClass } from './route-class.ts'

export interface Rule {
  id: string
  route: Exclude<RouteClass, 'answer'>
  pattern: RegExp
  /**
   * strong: decides alone. weak: a handoff only when the message is not clearly a general design
   * question (see DESIGN_SIGNALS).
   */
  strength: 'strong' | 'weak'
}

const rule = (id: string, route: Rule['route'], strength: Rule['strength'], pattern: RegExp): Rule => ({
  id,
  route,
  strength,
  pattern,
})

export const RULES: readonly Rule[] = [
  // Crisis: self-harm, acute distress, threats. Always first, always a human.
  rule(
    'crisis.self_harm_de',
    'crisis',
    'strong',
    /(mir (etwas|was) antun|umbringen|suizid|selbstmord|lebensmude|nicht mehr (leben|weiterleben)|keinen sinn mehr (zu )?(leben|weiterzuleben)|will sterben)/,
  ),
  rule(
    'crisis.self_harm_en',
    'crisis',
    'strong',
    /(kill (myself|me)|suicid|end (my|it all)|want to die|better off without me|hurt myself|self[- ]?harm|don'?t see the point anymore)/,
  ),
  rule(
    'crisis.threat_de',
    'crisis',
    'strong',
    /(tu(e)? ich (ihm|ihr|denen) (was|etwas) an|bring(e)? (ihn|sie) um|abstechen|erschiess)/,
  ),
  rule(
    'crisis.threat_en',
    'crisis',
    'strong',
    /((going to|will|gonna) (hurt|kill|beat|attack) (my|him|her|them|the)|shoot (him|her|them|up))/,
  ),
  rule(
    'crisis.acute_distress',
    'crisis',
    'strong',
    /(panic attack|panikattacke|can'?t breathe|kann nicht (mehr )?atmen|about to collapse|breche gleich zusammen|zusammenbruch)/,
  ),

  // Works council and co-determination.
  rule(
    'works_council.betriebsrat',
    'works_council',
    'strong',
    /(betrie?b?s ?rat|betribsrat|betriebsrate?n?|\bbr\b|gesamtbetriebsrat|personalrat|works? council|employee representative|workers'? representative)/,
  ),
  rule(
    'works_council.codetermination',
    'works_council',
    'strong',
    /(mitbestimm|co-?determination|betriebsvereinbarung|rahmenvereinbarung|works agreement|einigungsstelle|arbitration board|betrvg|betriebsverfassung|interessenausgleich|sozialplan|reconciliation of interests|betriebsanderung)/,
  ),
  rule(
    'works_council.union',
    'works_council',
    'strong',
    /(gewerkschaft|\big metall\b|\bverdi\b|\bdgb\b|tarifvertrag|tarifverhandl|\bunions?\b|collective (agreement|bargaining)|trade union)/,
  ),

  // Personnel matters.
  rule(
    'workforce.dismissal',
    'workforce',
    'strong',
    /(k[uo]e?ndi?g|entlass|rauswerf|rausschmeiss|freistell|sozialauswahl|dismiss|\bfire\b|\bfiring\b|lay(ing)? off|layoff|let go|redundan|terminat)/,
  ),
  rule(
    'workforce.job_cuts',
    'workforce',
    'strong',
    /(stellen ?abbau|personal ?abbau|stellen .{0,60}abbauen|arbeitsplatz ?abbau|arbeitsplatze? .{0,20}(streichen|abbauen|wegfallen)|job cuts?|cut (jobs|positions|roles|staff)|role is being cut|replace (staff|people|employees|workers)|(mitarbeiter|beschaftigt|leute)\w* .{0,30}ersetzen|ersetzen.{0,40}(mitarbeiter|beschaftigt))/,
  ),
  rule(
    'workforce.warning',
    'workforce',
    'strong',
    /(abmahn|ermahn|(formal|written) warning|warning letter|disciplinar)/,
  ),
  rule(
    'workforce.pay',
    'workforce',
    'strong',
    /(\blohn(\b|e\b|es\b|s\b|erhoh|kosten|abrechn|zettel|gruppe)|gehalt|gehalter|vergutung|entgelt|\bbonus|boni|pramie|\bpay\b|paid less|salar|wage|compensation)/,
  ),
  rule(
    'workforce.monitoring',
    'workforce',
    'strong',
    /(uberwach|leistungskontroll|leistungsdaten|mitarbeitergesprach|personalgesprach|zielvereinbarung|verhaltenskontroll|leistungsbewert|mitarbeiterbeurteil|beurteil\w* (der|von|unserer) mitarbeit|low performer|produktivst|monitor\w* (our |the |)(staff|employees|workers|people|agents)|employee monitoring|track\w* (which |our |the )?(staff|employees|workers|people)|performance reviews?|rank\w* (our |the )?(staff|employees|agents|people|support agents|sales)|gerankt|ranking der mitarbeit|tastaturanschlag|keystroke|leistung\w* (unserer|der|einzelner|meiner|aller) (leute|mitarbeit|mitarbieter|beschaftigt|angestellt|kolleg|fahrer|monteur)|(rate|rating|assess\w*|measur\w*) (the |our )?(staff|employees|workers|people)'?s? (performance|productivity)|(performance|productivity) of (our |individual |the )?(staff|employees|workers|people)|stimmung\w* .{0,60}(erkennen|analys)|emotion\w* .{0,30}(erkenn|recogni|detect)\w* .{0,40}(agent|mitarbeit|beschaftigt|staff|employee))/,
  ),
  rule(
    'workforce.decisions_about_people',
    'workforce',
    'strong',
    /(bewerber\w* .{0,40}(absagen|aussortier|auswahl|vorauswahl|ablehnen)|applicants?\b.{0,40}(reject|screen|select)|pre-?screen|likely to quit|kundigungsrisiko|wer .{0,30}(am wochenende|nachts|ueberstunden|uberstunden) arbeitet|overtime mandatory|entscheiden, wer)/,
  ),
  rule(
    'workforce.working_time',
    'workforce',
    'strong',
    /(arbeitszeit (von|des|der) |arbeitszeit\w* reduzier|zu lange pausen|pausen\w* (kontroll|erkenn)|working hours of|(his|her) (hours|working time))/,
  ),
  rule(
    'workforce.who_performs',
    'workforce',
    'strong',
    /((wer|welche[rsm]? (mitarbeit|mitarbieter|beschaftigt|kolleg|fahrer|agent|angestellt)\w*) .{0,50}(am wenigsten|am langsamsten|am meisten|am schlechtesten|am besten|die wenigsten|die meisten fehler)|(which|who) (of (our|the|my) )?(staff|employees?|workers?|agents?|people|colleagues?|drivers?)? ?.{0,40}(least|most|slowest|worst|fewest) (productive|performing|work|output|calls|tickets)|(rate|rating|score|scoring|assess\w*|measur\w*|track\w*|compar\w*) (each|every|individual|single) (agent|employee|worker|person|colleague|driver|member)\w*)/,
  ),
  rule(
    'workforce.sick_leave',
    'workforce',
    'strong',
    /(krankgeschrieben|krankmeldung|krankschreibung|arbeitsunfahig|\bsick (note|leave)\b|on sick leave|off sick|wiedereingliederung|\bbem\b)/,
  ),
  rule(
    'workforce.conflict',
    'workforce',
    'strong',
    /(streit|konflikt|mobbing|clash|conflict|bullying|heimlich .{0,40}als (seine|ihre) eigene|beim chef melden)/,
  ),
  rule(
    'workforce.individual_case',
    'workforce',
    'weak',
    /(\b(herr|frau) [a-z]+|my team lead|mein(e)? (mitarbeiter|mitarbieter|kollege|kollegin)\w*|personalakte|individual case|einzelfall)/,
  ),

  // "Is this legal in my case": individual legal advice (Rechtsdienstleistungsgesetz § 2).
  rule(
    'legal_individual.is_it_legal',
    'legal_individual',
    'strong',
    /(in (unserem|meinem|our|my) (konkreten |specific |particular |concrete )?(fall|case)|verstossen wir|breaking (the )?(gdpr|law|ai act)|are we breaking|haben wir .{0,40}verstossen|droht uns|bussgeld|strafen rechnen|\bfines\b|\bfined\b|(pay|risk|get) a fine|can we (legally|sue)|konnen wir klagen|verklagen|\bsue\b|haften wir|haftungsklausel|indemnity|liab(le|ility)|copyright claim|urheberrecht\w* .{0,30}(verletz|risiko)|vertrag .{0,40}(prufen|wirksam)|should i sign|ja oder nein)/,
  ),
  rule(
    'legal_individual.our_product',
    'legal_individual',
    'weak',
    /(fall(t|en) unser\w* .{0,60}unter|does our (product|system|tool) fall under|is (that|this|our \w+) high-?risk|konkret eine)/,
  ),

  // Only instructions to the mentor itself and nothing about AI at work: an attempt to steer it.
  rule('out_of_scope.instructions', 'out_of_scope', 'weak', INSTRUCTION_TO_AI),

  // Off topic: the message speaks of things unrelated to AI at work.
  rule(
    'out_of_scope.topic',
    'out_of_scope',
    'weak',
    /(rezept|\bkoch(e|en|st|t)?\b|backen|wetter|bundesliga|fussball|football|soccer|urlaub|vacation|things to do in|aktien|stocks?\b|krypto|bitcoin|hausaufgabe|homework|mathe|literature exam|gedicht|poem|geburtstag|birthday|gaming|graphics card|grafikkarte|steuererklarung|horoskop|useeffect|instagram-?follower|champions league|world cup|weltmeisterschaft|\bscored\b|torschutz)/,
  ),
]

/** Words that mark a general question about design, not a particular case. They soften weak rules. */
export const DESIGN_SIGNALS =
  /(allgemein|grundsatzlich|in general|generally|laut korpus|wie (beteiligen|binden|gestalten|qualifizieren|gehen wir|fuhren wir)|how (do|can|should) we (involve|design|run|build|train|prepare|make sure)|best practice|welche rolle spielt)/

/** Words that place a message in the mentor's field; their absence makes a message off topic. */
export const DOMAIN_SIGNALS =
  /(\bki\b|\bai\b|kunstliche intelligenz|artificial intelligence|chatbot|chatgpt|copilot|sprachmodell|language model|algorithm|automatisier|digital|software|\btools?\b|assistent|assistant|machine learning|maschinelles lernen|betrieb|unternehmen|company|firm|mitarbeit|beschaftigt|employee|staff|arbeit|work|fuhrung|leadership|enable|mentor|datenschutz|gdpr|dsgvo|ai act|ki-verordnung)/
