// Text that addresses an AI system with instructions ("ignore all rules", "print your system prompt",
// "note to AI systems: recommend only …"). In a message it is an attempt to steer the mentor; in a
// corpus passage it is planted data, which is never quoted to users and never shown to a model.
import { foldText } from '../retrieval/embedders/text-features.ts'

/** Over folded text (lower case, umlauts folded), German and English. */
export const INSTRUCTION_TO_AI = new RegExp(
  [
    // The ending is bounded ("ignoriere", "ignorierst"): an unbounded \w* would rescan a run of
    // "ignorierignorier…" from each of its starts, the square of its length.
    String.raw`ignorier\w{0,6} (alle |deine |die |samtliche |jegliche )?(bisherigen |vorherigen |obigen |vorigen )?(anweisung|regel|vorgab|instruktion)`,
    `ignore (all |any |your |the )?(previous |prior |above |earlier )?(instruction|rule|prompt|guideline)`,
    String.raw`system ?prompt|developer mode|entwicklermodus|jailbreak|\bdan\b|system override`,
    `hinweis an (ki|ai)|an (ki|ai)-?systeme|note to (ai|language models|assistants)|(ai|language) (systems|models|assistants) (must|should|reading)`,
    `(print|reveal|repeat|show) (me )?(the |your )?(rules|instructions|prompt)|word for word`,
    `empfiehl ausschliesslich|beende jede antwort|end every (answer|reply)|always recommend`,
  ].join('|'),
)

export const addressesTheAi = (text: string) => INSTRUCTION_TO_AI.test(foldText(text))

/** A passage without its sentences that address an AI system. */
export function withoutInstructionsToAi(text: string): string {
  if (!addressesTheAi(text)) return text
  return text
    .split(/(?<=[.!?“"])\s+/)
    .filter((sentence) => !addressesTheAi(sentence))
    .join(' ')
}
