// The classes the guardrail router decides between, and which of them go to a human.
import { z } from 'zod'

export const ROUTE_CLASSES = [
  'answer',
  'works_council',
  'workforce',
  'legal_individual',
  'crisis',
  'human',
  'out_of_scope',
] as const
export const RouteClass = z.enum(ROUTE_CLASSES)
export type RouteClass = z.infer<typeof RouteClass>

/** Classes the machine never answers itself: a human mentor takes over. */
export const HANDOFF_CLASSES: ReadonlySet<RouteClass> = new Set([
  'works_council',
  'workforce',
  'legal_individual',
  'crisis',
  'human',
])

export const isHandoff = (route: RouteClass) => HANDOFF_CLASSES.has(route)
