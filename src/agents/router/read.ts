// The message as both router stages read it: normalised (src/text/normalize.ts), folded (lower case,
// umlauts and ß folded) and with single spaces. Made once per decision; rules and classifier share it.
import { foldText } from '../../retrieval/embedders/text-features.ts'
import { normalizeForRouting } from '../../text/normalize.ts'

export const readForRouting = (text: string): string =>
  foldText(normalizeForRouting(text)).replace(/\s+/g, ' ')
