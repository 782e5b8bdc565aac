// Authored model answers: matched to the request that asks for them, citations resolved against the
// sources that request holds.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { authoredTurns, resolveCitations } from '../../evals/lib/authoring.ts'
import type { ChatRequestBody } from '../../evals/lib/model-fixtures.ts'

const titles = new Map([
  ['pilot', 'Pilotprojekte planen'],
  ['beteiligung', 'Beschäftigte beteiligen'],
])
const sources =
  '<quellen>\n<source n="1" title="Beschäftigte beteiligen">\n…\n</source>\n<source n="2" title="Pilotprojekte planen">\n…\n</source>\n</quellen>'

describe('authored model answers', () => {
  it('turns [[document-id]] into the number of that source, and an absent document into one past the last', () => {
    expect(
      resolveCitations('Klein anfangen [[pilot]], früh beteiligen [[beteiligung]].', sources, titles),
    ).toBe('Klein anfangen [2], früh beteiligen [1].')
    expect(resolveCitations('Siehe [[glossar]].', sources, titles)).toBe('Siehe [3].')
  })

  it('answers routing, condensing and answer requests of the turns it knows, and nothing else', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dm-authored-'))
    try {
      const file = join(dir, 'answers.jsonl')
      const route = { route: 'answer', confidence: 0.9, reason: 'design question' }
      await writeFile(
        file,
        [
          { id: 'cv/1', route, answer: 'Starten Sie mit einem Pilot [[pilot]].' },
          {
            id: 'cv/2',
            route,
            condensed: 'Wie lange sollte ein KI-Pilot laufen?',
            answer: 'Etwa drei Monate [[pilot]].',
          },
        ]
          .map((line) => JSON.stringify(line))
          .join('\n'),
      )
      const author = await authoredTurns(
        file,
        [
          { id: 'cv/1', text: 'Wie starten wir mit KI?' },
          { id: 'cv/2', text: 'Und wie lange?', previous: 'Wie starten wir mit KI?' },
        ],
        titles,
      )
      const ask = (body: Partial<ChatRequestBody>) => author({ model: 'm', messages: [], ...body })
      const routing = ask({
        tools: [{ function: { name: 'route_message' } }],
        messages: [{ role: 'user', content: '<message>\nUnd wie lange?\n</message>' }],
      })
      expect(JSON.parse(routing?.body ?? '{}').choices[0].message.tool_calls[0].function.arguments).toBe(
        JSON.stringify(route),
      )
      const condensed = ask({
        messages: [
          {
            role: 'user',
            content:
              '<conversation>\nuser: Wie starten wir mit KI?\n</conversation>\n<last_message>\nUnd wie lange?\n</last_message>',
          },
        ],
      })
      expect(JSON.parse(condensed?.body ?? '{}').choices[0].message.content).toBe(
        'Wie lange sollte ein KI-Pilot laufen?',
      )
      const answer = ask({
        stream: true,
        messages: [{ role: 'user', content: `${sources}\n\nFrage: Wie lange sollte ein KI-Pilot laufen?` }],
      })
      expect(answer?.contentType).toBe('text/event-stream')
      const text = [...(answer?.body ?? '').matchAll(/"content":"([^"]*)"/g)].map((m) => m[1]).join('')
      expect(text).toBe('Etwa drei Monate [2].')
      expect(answer?.body).toContain('"finish_reason":"stop"')
      const unknown = ask({
        stream: true,
        messages: [{ role: 'user', content: `${sources}\n\nFrage: Etwas anderes?` }],
      })
      expect(unknown).toBeUndefined()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
