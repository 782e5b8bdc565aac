// The gate (thresholds from evals/gate.json) and the comparison with the committed baseline.
import { readFile } from 'node:fs/promises'
import { z } from 'zod'

export type Metrics = Record<string, number>

const gateSchema = z.strictObject({
  about: z.string().optional(),
  checks: z.array(
    z
      .strictObject({
        metric: z.string().min(1),
        min: z.number().optional(),
        max: z.number().optional(),
        /**
         * Where a floor is below what the project aims for: the aim. A value between the floor and the
         * target passes, and the report lists it as a target not yet met.
         */
        target: z.number().optional(),
        why: z.string().min(1),
      })
      .refine((c) => c.min !== undefined || c.max !== undefined, 'needs min or max'),
  ),
})
export type Gate = z.infer<typeof gateSchema>

export async function readGate(file: string): Promise<Gate> {
  const parsed = gateSchema.safeParse(JSON.parse(await readFile(file, 'utf8')))
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`)
  return parsed.data
}

export interface GateResult {
  metric: string
  bound: string
  value: number | null
  passed: boolean
  /** The aim, where it differs from the bound, and whether the value reaches it. */
  target?: { bound: string; met: boolean }
  why: string
}

export function applyGate(gate: Gate, metrics: Metrics): GateResult[] {
  return gate.checks.map((check) => {
    const value = metrics[check.metric] ?? null
    const bound = [
      check.min !== undefined ? `>= ${check.min}` : '',
      check.max !== undefined ? `<= ${check.max}` : '',
    ]
      .filter(Boolean)
      .join(' and ')
    const passed =
      value !== null &&
      (check.min === undefined || value >= check.min) &&
      (check.max === undefined || value <= check.max)
    const target =
      check.target === undefined
        ? undefined
        : {
            bound: `${check.min !== undefined ? '>=' : '<='} ${check.target}`,
            met: value !== null && (check.min !== undefined ? value >= check.target : value <= check.target),
          }
    return { metric: check.metric, bound, value, passed, ...(target ? { target } : {}), why: check.why }
  })
}

/** Metrics where less is better; latencies are left out of the comparison (they depend on the machine). */
const LOWER_IS_BETTER =
  /(overHandoffRate|offerRate|wrongAnswerRate|errors|personalDataSentToModel|withheldRate|missing)$/
const TIMING = /latency/i
// Differences smaller than this are noise of rounding, not a change.
const TOLERANCE = 0.0005

export interface Change {
  metric: string
  baseline: number
  now: number
  delta: number
  regression: boolean
}

/** Every metric that changed against the baseline, regressions first. */
export function compareWithBaseline(baseline: Metrics, now: Metrics): Change[] {
  const changes: Change[] = []
  for (const [metric, before] of Object.entries(baseline)) {
    const value = now[metric]
    if (value === undefined || TIMING.test(metric)) continue
    const delta = value - before
    if (Math.abs(delta) <= TOLERANCE) continue
    const worse = LOWER_IS_BETTER.test(metric) ? delta > 0 : delta < 0
    changes.push({ metric, baseline: before, now: value, delta, regression: worse })
  }
  return changes.sort(
    (a, b) => Number(b.regression) - Number(a.regression) || a.metric.localeCompare(b.metric),
  )
}
