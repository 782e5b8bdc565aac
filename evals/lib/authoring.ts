// Author mode: fixtures built from hand-written model answers (evals/fixtures/authored/), for when no
// model endpoint is at hand. Each request is matched to its answer by what it asks: the message a
// routing request classifies, the last message a condensing request rewrites, the question an answer
// request answers. Answers cite documents as [[document-id]]; the source number that document has in
// the request replaces the marker, so an answer stays right when retrieval reorders its sources.
import { z } from 'zod'
import { redactPersonalData } from '../../src/agents/pii.ts'
import { ModelRoute } from '../../src/agents/router/model-router.ts'
import {
  chunkEvent,
  DONE_EVENT,
  textCompletion,
  toolCallCompletion,
} from '../../tests/helpers/openai-wire.ts'
import { readJsonl } from './datasets.ts'
import type { Author, ChatRequestBody, FixtureResponse } from './model-fixtures.ts'

/** Imperfections placed on purpose, so that the pipeline's checks have something to catch. */
export const FLAWS = ['none', 'made_up_citation', 'wrong_language', 'ignores_sources', 'misses_fact'] as const

export const authoredAnswer = z.strictObject({
  /** A case id, or `<conversation id>/<turn number from 1>`. */
  id: z.string().min(1),
  route: ModelRoute,
  /** The standalone question a follow-up is rewritten into. */
  condensed: z.string().min(3).optional(),
  answer: z.string().min(1).optional(),
  flaw: z.enum(FLAWS).default('none'),
})
export type AuthoredAnswer = z.infer<typeof authoredAnswer>

/** One message as the mentor sees it in a turn, with the user message before it (for follow-ups). */
export interface AuthoredTurn {
  id: string
  text: string
  previous?: string | undefined
}

const lastContent = (body: ChatRequestBody) => {
  const content = body.messages.at(-1)?.content
  return typeof content === 'string' ? content : ''
}
const between = (text: string, tag: string) =>
  new RegExp(`<${tag}>\\n([\\s\\S]*)\\n</${tag}>`).exec(text)?.[1]
/** The message a routing request classifies, as the router puts it into the prompt. */
const routedText = (text: string) => redactPersonalData(text).replaceAll('</message>', '')

const json = (body: unknown): FixtureResponse => ({
  status: 200,
  contentType: 'application/json',
  body: JSON.stringify(body),
})

function routeResponse(
  body: ChatRequestBody,
  route: z.infer<typeof ModelRoute>,
): FixtureResponse | undefined {
  const name = body.tools?.[0]?.function.name
  return name ? json(toolCallCompletion(body.model, name, route)) : undefined
}

/** The routing set's hand-written answers (one flat line per case: id, route, confidence, reason). */
export async function authoredRoutes(
  files: readonly string[],
  cases: ReadonlyArray<{ id: string; text: string }>,
) {
  const rows = (
    await Promise.all(files.map((file) => readJsonl(file, ModelRoute.extend({ id: z.string().min(1) }))))
  ).flat()
  const answers = new Map(rows.map(({ id, ...route }) => [id, route]))
  const byText = new Map<string, z.infer<typeof ModelRoute>>()
  for (const c of cases) {
    const answer = answers.get(c.id)
    if (answer) byText.set(routedText(c.text), answer)
  }
  return (body: ChatRequestBody) => {
    const text = between(lastContent(body), 'message')
    const answer = text === undefined ? undefined : byText.get(text)
    return answer && routeResponse(body, answer)
  }
}

/** Replaces [[document-id]] with that document's source number in the request; unknown ones get one past the last. */
export function resolveCitations(
  answer: string,
  prompt: string,
  titles: ReadonlyMap<string, string>,
): string {
  const sources = [...prompt.matchAll(/<source n="(\d+)" title="([^"]*)">/g)].map((m) => ({
    n: Number(m[1]),
    title: m[2],
  }))
  return answer.replace(/\[\[([^\]]+)\]\]/g, (_, id: string) => {
    const title = titles.get(id)
    const source = sources.find((s) => s.title === title)
    // A document the request does not hold: the answer cites a number that names no source.
    return `[${source?.n ?? sources.length + 1}]`
  })
}

/** Streams an answer the way the chat completions API does: a few words per chunk, then the finish reason. */
function streamed(text: string): FixtureResponse {
  const pieces = text.match(/(?:\S+\s*){1,3}/g) ?? [text]
  return {
    status: 200,
    contentType: 'text/event-stream',
    body: [...pieces.map((p) => chunkEvent(p)), chunkEvent(null, 'stop'), DONE_EVENT].join(''),
  }
}

/**
 * The author of the answer suites' fixtures: routing, condensing and answering requests, from the
 * authored lines of the turns given. `titles` maps document ids to titles (sources carry titles).
 */
export async function authoredTurns(
  file: string,
  turns: readonly AuthoredTurn[],
  titles: ReadonlyMap<string, string>,
): Promise<Author> {
  const lines = new Map((await readJsonl(file, authoredAnswer)).map((line) => [line.id, line]))
  const routes = new Map<string, z.infer<typeof ModelRoute>>()
  const condensing = new Map<string, Array<{ previous: string; condensed: string }>>()
  const answers = new Map<string, string>()
  for (const turn of turns) {
    const line = lines.get(turn.id)
    if (!line) continue
    routes.set(routedText(turn.text), line.route)
    if (line.condensed && turn.previous) {
      const key = redactPersonalData(turn.text)
      condensing.set(key, [
        ...(condensing.get(key) ?? []),
        { previous: redactPersonalData(turn.previous), condensed: line.condensed },
      ])
    }
    if (line.answer) answers.set(redactPersonalData(line.condensed ?? turn.text), line.answer)
  }

  return (body: ChatRequestBody) => {
    const prompt = lastContent(body)
    if (body.tools) {
      const text = between(prompt, 'message')
      const route = text === undefined ? undefined : routes.get(text)
      return route && routeResponse(body, route)
    }
    if (!body.stream) {
      const last = between(prompt, 'last_message')
      const conversation = between(prompt, 'conversation') ?? ''
      // The same follow-up can occur in several conversations: the one whose previous message is shown.
      const match = condensing.get(last ?? '')?.find((c) => conversation.includes(c.previous.slice(0, 600)))
      return match && json(textCompletion(body.model, match.condensed))
    }
    const question = /\n\n(?:Frage|Question): ([\s\S]*)$/.exec(prompt)?.[1]
    const answer = question === undefined ? undefined : answers.get(question)
    return answer === undefined ? undefined : streamed(resolveCitations(answer, prompt, titles))
  }
}
