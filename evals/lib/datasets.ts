// Eval datasets: JSONL files, each line checked by a zod schema; bad lines are reported with file and line.
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { RouteClass } from '../../src/agents/router/route-class.ts'

export const retrievalCase = z.strictObject({
  id: z.string().min(1),
  question: z.string().min(3),
  lang: z.enum(['de', 'en']),
  relevant: z.array(z.string().min(1)).min(1),
})
export type RetrievalCase = z.infer<typeof retrievalCase>

export const routingCase = z.strictObject({
  id: z.string().min(1),
  text: z.string().min(1),
  lang: z.enum(['de', 'en']),
  expected: RouteClass,
  border: z.boolean(),
  note: z.string().optional(),
})
export type RoutingCase = z.infer<typeof routingCase>

export class DatasetError extends Error {
  override name = 'DatasetError'
}

export async function readJsonl<T>(file: string, schema: z.ZodType<T>): Promise<T[]> {
  const lines = (await readFile(file, 'utf8')).split('\n')
  const rows: T[] = []
  const problems: string[] = []
  lines.forEach((line, index) => {
    if (!line.trim()) return
    let data: unknown
    try {
      data = JSON.parse(line)
    } catch {
      problems.push(`${file}:${index + 1}: not valid JSON`)
      return
    }
    const result = schema.safeParse(data)
    if (result.success) rows.push(result.data)
    else {
      for (const issue of result.error.issues) {
        problems.push(`${file}:${index + 1}: ${issue.path.join('.') || '(line)'}: ${issue.message}`)
      }
    }
  })
  if (problems.length) throw new DatasetError(`Invalid dataset lines:\n${problems.join('\n')}`)
  return rows
}
