// The Teams stream's timing against the fake connector (Microsoft's behaviour, tests/helpers/teams-fake.ts)
// with fake timers: updates spaced as Microsoft asks, progress while the model is silent, and the
// two-minute limit, after which the answer still arrives as an ordinary message.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createConnector } from '../../src/channels/teams/connector.ts'
import { openStream } from '../../src/channels/teams/stream.ts'
import { mockNetwork } from '../helpers/mock-network.ts'
import { createTeamsFake, SERVICE, streamInfo, TENANT_ID, type TeamsFake } from '../helpers/teams-fake.ts'

const answer = { type: 'message', text: 'Beginnen Sie mit einem Pilotprojekt.' }

describe('Teams stream', () => {
  let fake: TeamsFake
  beforeAll(async () => {
    fake = await createTeamsFake()
  })
  beforeEach(() => {
    fake.reset()
    mockNetwork.use(...fake.handlers())
    // Only the clock and the timers the stream sets are fake; the network and promises are real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  const open = (problems: string[] = []) =>
    openStream(
      createConnector({
        appId: 'app',
        appPassword: 'secret',
        tenant: TENANT_ID,
        authority: 'https://login.microsoftonline.com',
        scope: 'https://api.botframework.com/.default',
      }),
      { serviceUrl: SERVICE, conversationId: 'a:stream' },
      {
        informative: 'Ich suche in der Wissensbasis …',
        stillWorking: 'Ich arbeite noch an Ihrer Antwort …',
        address: { from: { id: '28:bot' }, recipient: { id: '29:user' }, conversation: { id: 'a:stream' } },
        onProblem: (what, error) => problems.push(`${what} ${(error as { status?: number }).status}`),
      },
    )
  const kinds = () => fake.posted.map((p) => `${streamInfo(p)?.streamType ?? p.body.type}:${p.status}`)
  /** Moves the fake clock on and lets the timers' work (real requests to msw) finish. */
  const pass = async (ms: number) => {
    await vi.advanceTimersByTimeAsync(ms)
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve))
  }

  it('shows progress every 15 seconds while the model is silent, then streams and ends the stream', async () => {
    const stream = await open()
    await pass(44_000)
    // Nothing to stream yet: informative updates keep the stream alive.
    expect(kinds()).toEqual(['informative:201', 'informative:202', 'informative:202'])
    expect(fake.posted[1]?.body.text).toBe('Ich arbeite noch an Ihrer Antwort …')
    await stream.push('Beginnen Sie')
    // Text that comes too soon after the last update follows when 1.5 s are up.
    await stream.push(' mit einem')
    await pass(1500)
    await stream.push(' Pilotprojekt.')
    await pass(30_000)
    const streamed = fake.posted.filter((p) => streamInfo(p)?.streamType === 'streaming')
    expect(streamed.map((p) => p.body.text)).toEqual([
      'Beginnen Sie',
      'Beginnen Sie mit einem',
      'Beginnen Sie mit einem Pilotprojekt.',
      // Silent again: the same text once more, so that the stream is not left idle.
      'Beginnen Sie mit einem Pilotprojekt.',
    ])
    const sent = await stream.finish(answer)
    const streamId = fake.posted[0]?.answer.id
    expect(sent).toEqual({ id: streamId, streamed: true })
    const sequences = fake.posted.map((p) => streamInfo(p)?.streamSequence)
    expect(sequences).toEqual([1, 2, 3, 4, 5, 6, 7, undefined])
    expect(fake.posted.every((p) => p.status < 300)).toBe(true)
    for (let i = 1; i < fake.posted.length - 1; i++)
      expect((fake.posted[i]?.at ?? 0) - (fake.posted[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(1500)
  })

  it('stops updating before two minutes and sends the answer as a message once the stream is over', async () => {
    const problems: string[] = []
    const stream = await open(problems)
    await stream.push('Beginnen Sie')
    await pass(119_000)
    // Progress every 15 s until 110 s, none after.
    const last = fake.posted.at(-1)?.at ?? 0
    expect(last - (fake.posted[0]?.at ?? 0)).toBeLessThanOrEqual(110_000)
    await pass(5000)
    const sent = await stream.finish(answer)
    expect(sent.streamed).toBe(false)
    expect(fake.posted.at(-1)).toMatchObject({ status: 201, body: { type: 'message', text: answer.text } })
    expect(streamInfo(fake.posted.at(-1) as never)).toBeUndefined()
    expect(sent.id).toBe(fake.posted.at(-1)?.answer.id)
    expect(problems).toEqual([])
  })

  it('sends the answer as a message when Teams refuses an update (the user stopped the stream)', async () => {
    const problems: string[] = []
    const stream = await open(problems)
    fake.streaming = false
    await pass(1500)
    await stream.push('Beginnen Sie')
    await pass(30_000)
    const sent = await stream.finish(answer)
    expect(kinds()).toEqual(['informative:201', 'streaming:403', 'message:201'])
    expect(sent).toEqual({ id: fake.posted.at(-1)?.answer.id, streamed: false })
    expect(problems).toEqual(['update 403'])
  })
})
