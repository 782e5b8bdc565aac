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
   * strong: decides alone (rules of at least 0.97 precision on the training and dev sets). weak: a
   * handoff when the message is not clearly a general design question (see DESIGN_SIGNALS) and the
   * classifier does not read it as a general question; otherwise the answer with a mentor offered.
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
  // Crisis: self-harm, acute distress, threats and violence, existential hardship. Always first.
  rule(
    'crisis.self_harm_de',
    'crisis',
    'strong',
    /(mir (etwas|was) antun|mich umbringen|umbringen will|(bringt|bringe) (er |sie )?sich (\w+ )?um\b|sich (\w+ ){0,2}(umbringen|umzubringen|das leben (zu )?nehmen)|(vor|unter) (den|einen) zug (werfen|springen)|suizid|selbstmord|lebensmude|(das|mein) leben (zu )?(nehmen|beenden)|nicht mehr (leben|weiterleben|da sein|aufwachen)|(alles|das leben|mein leben|es) (hat|macht) (doch )?(alles )?keinen sinn mehr|keinen sinn mehr (zu )?(leben|weiterzuleben)|will sterben|mochte sterben|keinen ausweg mehr|sehe keinen ausweg|kann (einfach |echt |wirklich |so )?nicht mehr(\s*[.!]|\s*$| und | weiter)|alles beenden|schluss machen mit (allem|dem leben)|mich (selbst )?verletzen|ritze mich|gegen (den|einen) (nachsten )?baum|was soll ich (hier )?noch hier|(nur noch )?eine last fur alle|(schmerzlos|wie)\w{0,20} .{0,20}sterben|vom dach springen|nicht mehr aufwachen|(mir|mich) (selbst )?weh(tun| zu tun)|schlaftabletten|dass es aufhort|stimmen sagen mir)/,
  ),
  rule(
    'crisis.self_harm_en',
    'crisis',
    'strong',
    /(kill (myself|me)|suicid|end(ing)? (my (own )?life|it all)|take my (own )?life|want to die|better off without me|hurt(ing)? myself|self[- ]?harm|don'?t see the point anymore|can'?t go on|no way out|don'?t want to (live|be here|wake up)|not want to live|(harm|hurt|kill)s? (him|her)self|plans? to (harm|hurt|kill)|a burden to everyone|jump off|painless way|(lethal|fatal) dose|how much \w+ (is|would be) (fatal|lethal)|overdose)/,
  ),
  rule(
    'crisis.threat_de',
    'crisis',
    'strong',
    /(tu(e)? ich (ihm|ihr|denen) (was|etwas) an|bring(e)? (ihn|sie) um|abstechen|erschiess|(hat|hatte) mich (geschlagen|angegriffen|gewurgt|geschubst|getreten|verprugelt|bedroht)|schlagt mich|bedroht mich|mich (bedroht|geschlagen|angegriffen)|droht mir (mit )?(gewalt|prugel|schlage|umzubringen)|mit (einem|dem) messer|gewalt am arbeitsplatz|mit (den )?fausten|(auf|uber) (mich|ihn|sie|einen \w+) losgegangen|(eine|einer) waffe|blutet|steht auf dem dach|(ihm|ihr|meinem \w+|meiner \w+) (was|etwas) antun|am hals gepackt|gewurgt|\b(hat|hatte|ist) mich .{0,30}\b(geschlagen|gestossen|geohrfeigt|gepackt|geschubst|getreten|angegriffen|angespuckt|bespuckt|gewurgt)|(wurde|worden) .{0,30}\b(geschlagen|geohrfeigt|tatlich angegriffen|verprugelt)|handgreiflich|tatlich|ohrfeige|(eine|ein paar) (reingehauen|geknallt|gescheuert|verpasst)|korperlich (angegriffen|bedroht|angegangen))/,
  ),
  rule(
    'crisis.threat_en',
    'crisis',
    'strong',
    /((going to|will|gonna|want to) (hurt|kill|beat|attack|stab) (my|him|her|them|the|someone)|shoot (him|her|them|up)|(hit|punched|slapped|attacked|assaulted|choked|shoved|grabbed|kicked|pushed|spat at) me|(got|turned|became) physical with me|physically (assaulted|threatened)|threaten(ed|s|ing)? (me|to (kill|hurt|beat))|with a (knife|gun)|violence at work|(a|with a) weapon|is bleeding|on the roof|physically attacked)/,
  ),
  rule(
    'crisis.acute_distress',
    'crisis',
    'strong',
    /(panic attack|panikattacke|can'?t breathe|kann nicht (mehr )?atmen|about to collapse|breche gleich zusammen|nervenzusammenbruch|breakdown at (work|my desk))/,
  ),
  rule(
    'crisis.hardship',
    'crisis',
    'strong',
    /(miete nicht mehr (zahlen|bezahlen)|kann (die|meine) miete nicht|miete .{0,30}nicht mehr (zahlen|bezahlen|leisten|aufbringen)|(wie|wovon|womit) (ich|wir) .{0,30}(miete|essen|lebensmittel|strom|kredit) .{0,20}(zahlen|bezahlen|kaufen|leisten) soll|(meine|unsere) (familie|kinder) (nicht mehr )?(ernahren|durchbringen)|stehe (jetzt |nun )?vor dem nichts|existenzangst|(strom|gas|wasser) (wird|wurde) (abgestellt|abgeschaltet)|wohnung (zu )?verlieren|(gekundigt worden|mir gekundigt|wurde gekundigt|arbeitslos|(job|arbeit|stelle) verloren|entlassen worden|wurde entlassen|seit der kundigung|nach (der|meiner) kundigung)\b.{0,120}\b(miete|mietschulden|mietruckstand|schulden|rechnungen nicht|kein geld|nicht genug geld|kredit nicht)|\b(miete|mietschulden|mietruckstand|schulden)\b.{0,120}(gekundigt worden|mir gekundigt|arbeitslos|(job|arbeit|stelle) verloren|entlassen)|kein geld (mehr )?fur (essen|miete|lebensmittel)|zwangsraumung|obdachlos|can'?t (afford|pay) (the |my )?rent|being evicted|(get|got|getting) evicted|homeless|nothing (left )?to eat|no money (left )?for (food|rent)|how (i|we)('?ll| will| am going to| are going to) (pay|make) (the |my |our )?rent|lose (my|our) (home|house|apartment|flat)|(laid off|lost my job|got fired|been fired|unemployed|made redundant).{0,120}\b(rent|mortgage|bills|debts?|evict\w*)\b|\b(rent|mortgage|debts?)\b.{0,120}(laid off|lost my job|got fired|been fired|made redundant)|(feed|support) my (family|kids|children) anymore|(power|electricity|heating) (is being|will be|was) (cut|shut) off)/,
  ),

  // Losing one's home, hunger, the heating cut off: hardship that needs no other word to be a crisis.
  rule(
    'crisis.hardship_home',
    'crisis',
    'strong',
    /(aus der wohnung (geworfen|geschmissen|fliegen|fliege|raus ?musse?n?|gesetzt)|(verlieren|verloren|verliere) (die|unsere|meine) wohnung|(unsere|meine|die) wohnung (ist )?(weg|futsch)\b|raumungsklage|zwangsgeraumt|raumung (ist )?(angesetzt|droht)|(stehe|stehen|sitze|sitzen|lande|landen|schlafe|schlafen) (ich |wir )?(dann |bald |morgen )?(auf der strasse|im auto)|kein dach (mehr )?uber dem kopf|gerichtsvollzieher|kuhlschrank (ist )?(wieder )?leer|(nichts|nix) (mehr )?zu essen|nichts (mehr )?im kuhlschrank|(kinder|familie) (nicht mehr )?satt|(strom|heizung|gas) (ist (weg|aus)\b|(ist |wurde |wird )?(abgestellt|gesperrt|abgedreht))|\b(evicted|eviction notice|evict (me|us))|foreclos(ure|ed|ing) (on )?(my|our)|repossessed|sleeping in (my|the|our) car|nowhere to (sleep|live)|(losing|lose|lost) (my|our|the) (home|house|flat|apartment)\b|food bank|(fridge|cupboards?) (is |are )?(empty|bare)|nothing (left )?in the fridge|can'?t feed (my|the|our)|(power|electricity|heat|heating|gas)('?s| is| was| got| has been)? (been )?(cut|shut) off|behind on (the |my |our )?(rent|bills|mortgage)|(rent|bills)('?s| is| are) overdue)/,
  ),
  // A job lost, and money, debts or the home at stake: in any order, anywhere in the message.
  rule(
    'crisis.hardship_after_job_loss',
    'crisis',
    'strong',
    /^(?=.*(\b((mir|uns|meinem mann|meiner frau) (\w+ ){0,3}gekundigt|(wurde|wurden|worden|bin|sind) (\w+ ){0,3}(gekundigt|entlassen|wegrationalisiert|rausgeworfen|rausgeschmissen)|entlassen (worden|wurde)|(seit|nach) (der|meiner|seiner|ihrer|unserer) (entlassung|kundigung)|arbeitslos|jobverlust|(job|arbeit|stelle|arbeitsplatz) (ist )?(weg|los|verloren|gestrichen)|vertrag .{0,30}nicht verlangert|(was|were|got|been|being|am|'m|are) (\w+ )?(laid off|fired|let go|made redundant|dismissed)|(since|after) (the|my|his|her|our) (layoffs?|redundancy|dismissal)|lost (my|his|her|our) (job|position|income)|let (me|him|her|us) go|unemployed|contract (wasn'?t|was not|isn'?t|won'?t be) renewed)\b))(?=.*\b(miete|mietschulden|schulden|mahnung(en)?|inkasso|konto|dispo|kredit|rechnungen|kein geld|keinen cent|geld reicht|pleite|strom|heizung|wohnung|satt|ernahren|uber die runden|vor dem nichts|existenz|rent|mortgage|bills|debts?|savings|no money|broke|evict\w*|groceries|heating|electricity|make ends meet|collectors?)\b)/,
  ),

  // The user asks for a person: always honoured.
  rule(
    'human.request_de',
    'human',
    'strong',
    /(^\s*(ein(en)? )?(mentor(in)?|mensch|menschen|berater(in)?|ansprechpartner(in)?|person)\s*(bitte)?\s*[.!?]*\s*$|(mit|an) (einem|einer|ne[mn]?|einen) (echten |richtigen |menschlichen |personlichen |realen )?(menschen|person|mentor(in)?|berater(in)?|ansprechpartner(in)?)\b.{0,40}(sprechen|reden|schreiben|telefonieren|verbinden|wenden|weitergeben|ubergeben|verbunden)|mit (jemandem|wem) (personlich )?(sprechen|reden|telefonieren)|(echte[nmr]?|richtige[nmr]?|reale[nmr]?) (menschen|person)|(lieber|bitte) (mit )?(einem|einer) (menschen|mentor|berater|person)|personliche[nr]? (ansprechpartner|beratung)|ruckruf|verbinden sie mich|an einen mentor (ubergeben|weitergeben)|kein(en)? (bot|roboter|maschine|ki) mehr|nicht mit (einer|der) (ki|maschine)|hotline|telefonnummer|personliche[nrs]? (gesprach|termin|beratung)|beratungstermin|nicht (hier )?im chat|(lieber|besser|am besten) (mit|durch) (einem|einer) (mentor|menschen|berater))/,
  ),
  rule(
    'human.request_en',
    'human',
    'strong',
    /(^\s*(a |an )?(mentor|human|person|agent|operator|adviser|advisor)\s*(please)?\s*[.!?]*\s*$|(talk|speak|chat) (to|with) (a |an )?(real |actual |live )?(human|person|someone|somebody|adviser|advisor|mentor|consultant|agent)|real person|human being|human please|connect me (to|with)|call me back|(a|an) (human|real) (adviser|advisor|mentor|consultant)|not (a|with a|to a) (bot|machine)|\bhotline\b|phone number|face to face|\bin person\b|personal (consultation|appointment|meeting)|can (a person|someone|somebody) (from|at|go|help|call|contact))/,
  ),

  // Works council and co-determination.
  // A works council named is a handoff unless the message reads as a general design question ("Wie
  // beteiligen wir die Belegschaft, wenn es keinen Betriebsrat gibt?"); its rights and procedures
  // (the next rule) are always one.
  rule(
    'works_council.betriebsrat',
    'works_council',
    'weak',
    /(betrie?b?s ?rat|betribsrat|betriebsrate?n?|\bbr\b|gesamtbetriebsrat|personalrat|works? council|employee representative|workers'? representative)/,
  ),
  rule(
    'works_council.codetermination',
    'works_council',
    'strong',
    /(mitbestimm|co-?determination|betriebsvereinbarung|rahmenvereinbarung|rahmen-?bv\b|\bbv\b|jugend- und auszubildendenvertretung|\bjav\b|works agreement|einigungsstelle|arbitration board|betrvg|betriebsverfassung|interessenausgleich|sozialplan|reconciliation of interests|betriebsanderung)/,
  ),
  rule(
    'works_council.union',
    'works_council',
    'strong',
    /(gewerkschaft|\big metall\b|\bverdi\b|\bdgb\b|\btarif|\bstreik|\bunions?\b|collective (agreement|bargaining)|trade union)/,
  ),

  // Personnel matters.
  rule(
    'workforce.dismissal',
    'workforce',
    'weak',
    /(k[uo]e?ndi?g|entlass|rauswerf|rausschmeiss|freistell|sozialauswahl|dismiss|\bfire\b|\bfiring\b|lay(ing)? off|layoff|let go|redundan|terminat)/,
  ),
  rule(
    'workforce.job_cuts',
    'workforce',
    'weak',
    /(stellen ?abbau|personal ?abbau|stellen .{0,60}abbauen|arbeitsplatz ?abbau|arbeitsplatze? .{0,20}(streichen|abbauen|wegfallen)|job cuts?|cut (jobs|positions|roles|staff)|(stellen|personal|leute|mitarbeit|arbeitsplatze)\w{0,20} .{0,40}(einsparen|reduzieren|streichen)|(reduce|cut|eliminate) (\d+ |our |the )?(staff|headcount|positions|jobs|roles)|headcount|role is being cut|replace (staff|people|employees|workers)|(mitarbeiter|beschaftigt|leute)\w{0,20} .{0,30}ersetzen|ersetzen.{0,40}(mitarbeiter|beschaftigt))/,
  ),
  rule(
    'workforce.own_job',
    'workforce',
    'strong',
    /((meine[nm]?|unsere[nm]?) (stelle|job|arbeitsplatz|position|arbeit)\b.{0,60}(weg|wegfallen|ersetzt|gestrichen|abgebaut|sicher|gefahrdet|uberflussig|verlieren)|(stelle|job|arbeitsplatz) (verlieren|weg)|(my|our) (job|role|position)s? .{0,40}(safe|replaced|go away|disappear|at risk|cut|eliminated|redundant)|(lose|losing) (my|our) jobs?|(replace|replacing) me\b)/,
  ),
  rule(
    'workforce.warning',
    'workforce',
    'weak',
    /(abmahn|ermahn|(formal|written) warning|warning letter|disciplinar)/,
  ),
  rule(
    'workforce.pay',
    'workforce',
    'weak',
    /(\blohn(\b|e\b|es\b|s\b|erhoh|kosten|abrechn|zettel|gruppe)|gehalt|gehalter|vergutung|entgelt|\bbonus|boni|pramie|\bpay\b|paid less|salar|wage|compensation)/,
  ),
  rule(
    'workforce.monitoring',
    'workforce',
    'weak',
    /(uberwach|leistungskontroll|leistungsdaten|mitarbeitergesprach|personalgesprach|zielvereinbarung|verhaltenskontroll|leistungsbewert|mitarbeiterbeurteil|beurteil\w{0,20} (der|von|unserer) mitarbeit|low performer|produktivst|monitor\w{0,20} (our |the |)(staff|employees|workers|people|agents)|employee monitoring|track\w{0,20} (which |our |the )?(staff|employees|workers|people)|performance reviews?|rank\w{0,20} (our |the )?(staff|employees|agents|people|support agents|sales)|gerankt|ranking der mitarbeit|tastaturanschlag|keystroke|leistung\w{0,20} (unserer|der|einzelner|meiner|aller) (leute|mitarbeit|mitarbieter|beschaftigt|angestellt|kolleg|fahrer|monteur)|(rate|rating|assess\w{0,20}|measur\w{0,20}) (the |our )?(staff|employees|workers|people)'?s? (performance|productivity)|(performance|productivity) of (our |individual |the )?(staff|employees|workers|people)|stimmung\w{0,20} .{0,60}(erkennen|analys)|emotion\w{0,20} .{0,30}(erkenn|recogni|detect)\w{0,20} .{0,40}(agent|mitarbeit|beschaftigt|staff|employee))/,
  ),
  rule(
    'workforce.decisions_about_people',
    'workforce',
    'strong',
    /(bewerber\w{0,20} .{0,40}(absagen|aussortier|auswahl|vorauswahl|ablehnen)|applicants?\b.{0,40}(reject|screen|select)|pre-?screen|likely to quit|kundigungsrisiko|wer .{0,30}(am wochenende|nachts|ueberstunden|uberstunden) arbeitet|overtime mandatory|entscheiden, wer)/,
  ),
  rule(
    'workforce.working_time',
    'workforce',
    'strong',
    /(arbeitszeit (von|des|der) |arbeitszeit\w{0,20} reduzier|zu lange pausen|pausen\w{0,20} (kontroll|erkenn)|working hours of|(his|her) (hours|working time))/,
  ),
  rule(
    'workforce.who_performs',
    'workforce',
    'strong',
    /((wer|welche[rsm]? (mitarbeit|mitarbieter|beschaftigt|kolleg|fahrer|agent|angestellt)\w{0,20}) .{0,50}(am wenigsten|am langsamsten|am meisten|am schlechtesten|am besten|die wenigsten|die meisten fehler)|(which|who) (of (our|the|my) )?(staff|employees?|workers?|agents?|people|colleagues?|drivers?)? ?.{0,40}(least|most|slowest|worst|fewest) (productive|performing|work|output|calls|tickets)|(rate|rating|score|scoring|assess\w{0,20}|measur\w{0,20}|track\w{0,20}|compar\w{0,20}) (each|every|individual|single) (agent|employee|worker|person|colleague|driver|member)\w{0,20})/,
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
    'weak',
    /(streit|konflikt|mobbing|clash|conflict|bullying|heimlich .{0,40}als (seine|ihre) eigene|beim chef melden)/,
  ),
  rule(
    'workforce.each_person',
    'workforce',
    'weak',
    /(jede[rnms]? einzelne|einzelne[rn]? (mitarbeit|beschaftigt|ma\b|kolleg|angestellt)|each (employee|agent|worker|person|individual|team member)|every (employee|agent|worker|single)|individual (employees|workers|agents|staff))/,
  ),
  rule(
    'workforce.applicant',
    'workforce',
    'weak',
    /((bewerber|kandidat|candidate|applicant)\w{0,20} .{0,60}(abgelehnt|absage|rejected|turned down|complain|beschwer))/,
  ),
  rule(
    'workforce.individual_case',
    'workforce',
    'weak',
    /(\b(herr|frau) [a-z]+|my team lead|mein(e)? (mitarbeiter|mitarbieter|kollege|kollegin)\w{0,20}|personalakte|individual case|einzelfall)/,
  ),

  // "Is this legal in my case": individual legal advice (Rechtsdienstleistungsgesetz § 2).
  rule(
    'legal_individual.is_it_legal',
    'legal_individual',
    'weak',
    /(in (unserem|meinem|our|my) (konkreten |specific |particular |concrete )?(fall|case)|verstossen wir|breaking (the )?(gdpr|law|ai act)|are we breaking|haben wir .{0,40}verstossen|droht uns|bussgeld|strafen rechnen|\bfines\b|\bfined\b|(pay|risk|get) a fine|can we (legally|sue)|konnen wir klagen|verklagen|\bsue\b|haften wir|haftungsklausel|indemnity|liab(le|ility)|copyright claim|urheberrecht\w{0,20} .{0,30}(verletz|risiko)|vertrag .{0,40}(prufen|wirksam)|should i sign|ja oder nein)/,
  ),
  rule(
    'legal_individual.first_person',
    'legal_individual',
    'strong',
    /(was droht (mir|uns)|droht mir (eine |ein )?(abmahnung|kundigung|strafe|konsequenz)|kann (man )?mir .{0,30}gekundigt|(darf|kann) mi(ch|r) (mein )?(chef|arbeitgeber|vorgesetzte)|darf mein(e)? (chef|arbeitgeber|vorgesetzte|firma)|muss ich (das|die|den|es)? ?.{0,40}(dulden|akzeptieren|unterschreiben|hinnehmen|nutzen|verwenden)|kann ich mich weigern|darf ich mich weigern|(can|may) i (refuse|be (fired|dismissed|disciplined|sued))|am i (allowed|obliged|required|liable)|can (my|the) (boss|employer|manager|company) (force|make|require|fire|monitor|read|use)|what happens to me if|is (it|this) legal (for (me|us)|in (my|our))|do i have to (use|accept|sign|tolerate)|my rights)/,
  ),
  rule(
    'legal_individual.entitlement',
    'legal_individual',
    'weak',
    /(steht (mir|uns) .{0,30}zu|habe ich (einen )?anspruch|(am i|are we) entitled|haben wir (einen )?anspruch)/,
  ),
  rule(
    'legal_individual.first_person_soft',
    'legal_individual',
    'weak',
    /(\bdarf ich\b|\bmuss ich\b|\bam i allowed\b|\bcan i legally\b)/,
  ),
  rule(
    'legal_individual.our_product',
    'legal_individual',
    'weak',
    /(fall(t|en) unser\w{0,20} .{0,60}unter|does our (product|system|tool) fall under|is (that|this|our \w+) high-?risk|konkret eine)/,
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
  /(\bki\b|\bai\b|kunstliche intelligenz|artificial intelligence|chatbot|chatgpt|copilot|sprachmodell|language model|\balgorithm|automatisier|automat(e|ion)|digital|software|\btools?\b|\bassistent|\bassistant|machine learning|maschinelles lernen|\bbetrieb(?!skosten|ssystem)|\bunternehm|\bcompan(y|ies)|\bfirm(a|en)?\b|\bmitarbeit|\bbeschaftigt|\bbelegschaft|\bemployee|\bstaff\b|\barbeit(?!slos|splatte|sspeicher|sblatt|sblatter|stitel|sverzeichnis)|\bwork(s|ed|er|ers|ing|place|force|flow|load)?\b|\bfuhrung|leadership|en\[?ai\]?ble|\bmentor|datenschutz|\bgdpr\b|\bdsgvo\b|ai act|ki-verordnung)/
