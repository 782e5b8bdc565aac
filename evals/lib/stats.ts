// Nearest-rank percentile, for latencies.
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0
}

export const spread = (values: readonly number[]) => ({
  p50: percentile(values, 50),
  p95: percentile(values, 95),
})
