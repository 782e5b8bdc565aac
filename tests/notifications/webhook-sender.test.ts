// The webhook senders against the SSRF tricks: a name that resolves to an internal address (also only
// the second time: DNS rebinding), an answer that mixes public and internal addresses, numeric and
// IPv4-mapped hosts, and redirects, which are never followed. A real server on loopback stands for the
// internal service and counts what reaches it.
import type { LookupAddress } from 'node:dns'
import { createServer, type Server } from 'node:http'
import { HttpResponse, http } from 'msw'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createNodeWebhookSender } from '../../src/notifications/node-webhook-sender.ts'
import { createFetchWebhookSender, WebhookRefused } from '../../src/notifications/webhook-sender.ts'
import { mockNetwork } from '../helpers/mock-network.ts'
import { runNode } from '../helpers/processes.ts'

const PUBLIC: LookupAddress = { address: '93.184.215.14', family: 4 }
const HOOK = 'https://rebind.example.org/hook'
const body = JSON.stringify({ type: 'handoff.created' })
const signal = () => AbortSignal.timeout(2000)

/** The internal service an attacker aims at: it counts every request that reaches it. */
let internal: Server
let internalHits = 0
let internalUrl = ''

beforeAll(async () => {
  internal = createServer((req, res) => {
    internalHits++
    req.resume()
    res.end('secret')
  })
  await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve))
  const address = internal.address()
  internalUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/admin`
})
afterAll(async () => {
  await new Promise((resolve) => internal.close(resolve))
})
afterEach(() => {
  internalHits = 0
})

/** msw answers for the public host; every request it sees is counted. */
function publicReceiver(status = 204, headers: Record<string, string> = {}) {
  const seen: string[] = []
  mockNetwork.use(
    http.all('https://rebind.example.org/*', ({ request }) => {
      seen.push(`${request.method} ${request.url}`)
      return new HttpResponse(null, { status, headers })
    }),
  )
  return seen
}

const refusal = (problem: string) => expect.objectContaining({ name: 'WebhookRefused', problem })

describe('the Node webhook sender', () => {
  it('refuses a name that resolves to an internal address the second time (DNS rebinding)', async () => {
    const seen = publicReceiver()
    const answers: LookupAddress[][] = [[PUBLIC], [{ address: '127.0.0.1', family: 4 }]]
    const questions: string[] = []
    const send = createNodeWebhookSender({
      policy: {},
      resolve: async (hostname) => {
        questions.push(hostname)
        return answers.shift() ?? []
      },
    })
    expect(await send(HOOK, body, signal())).toBe(204)
    await expect(send(HOOK, body, signal())).rejects.toEqual(refusal('address_not_allowed'))
    expect(questions).toEqual(['rebind.example.org', 'rebind.example.org'])
    expect(seen).toHaveLength(1)
    expect(internalHits).toBe(0)
  })

  it.each([
    [[PUBLIC, { address: '10.0.0.7', family: 4 }]],
    [[{ address: '::ffff:169.254.169.254', family: 6 }]],
    [[{ address: '::ffff:7f00:1', family: 6 }]],
    [[{ address: 'fd00:ec2::254', family: 6 }]],
    [[{ address: 'fe80::1%eth0', family: 6 }]],
    [[{ address: '100.100.100.200', family: 4 }]],
    [[]],
  ])('refuses when any resolved address is not public: %j', async (addresses) => {
    const seen = publicReceiver()
    const send = createNodeWebhookSender({ policy: {}, resolve: async () => addresses as LookupAddress[] })
    await expect(send(HOOK, body, signal())).rejects.toEqual(refusal('address_not_allowed'))
    expect(seen).toEqual([])
  })

  it.each([
    'https://2130706433/hook',
    'https://0x7f000001/hook',
    'https://0177.0.0.1/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://[::ffff:a9fe:a9fe]/latest/meta-data',
    'https://localhost/hook',
    'http://rebind.example.org/hook',
  ])('refuses %s without asking the DNS or sending anything', async (url) => {
    const questions: string[] = []
    const send = createNodeWebhookSender({
      policy: {},
      resolve: async (hostname) => {
        questions.push(hostname)
        return [PUBLIC]
      },
    })
    await expect(send(url, body, signal())).rejects.toEqual(refusal('url_not_allowed'))
    expect(questions).toEqual([])
  })

  it('returns a 307 as it is and does not replay the POST to where it points', async () => {
    const seen = publicReceiver(307, { location: internalUrl })
    const send = createNodeWebhookSender({ policy: {}, resolve: async () => [PUBLIC] })
    expect(await send(HOOK, body, signal())).toBe(307)
    expect(seen).toEqual([`POST ${HOOK}`])
    expect(internalHits).toBe(0)
  })

  it('connects to the checked addresses, whatever the name resolves to by then', async () => {
    // In a process of its own, as msw intercepts sockets here: Node's socket asks the pinned lookup
    // (with autoSelectFamily for all addresses, without it for one) and never resolves the name.
    const out = await runNode('tests/notifications/pinned-connect.ts', [], {})
    expect(out.stderr).toBe('')
    expect(out.stdout.trim().split('\n')).toEqual([
      'socket autoSelectFamily=true: 127.0.0.1',
      'socket autoSelectFamily=false: 127.0.0.1',
      'http: 200',
    ])
  })

  it('lets the operator’s own private webhook through when it is exempt, and nothing else', async () => {
    const send = createNodeWebhookSender({ policy: { exemptUrl: internalUrl }, resolve: async () => [] })
    expect(await send(internalUrl, body, signal())).toBe(200)
    expect(internalHits).toBe(1)
    await expect(send(`${internalUrl}/other`, body, signal())).rejects.toBeInstanceOf(WebhookRefused)
    expect(internalHits).toBe(1)
  })
})

describe('the fetch webhook sender (Workers)', () => {
  it('checks the URL as written and does not follow a redirect', async () => {
    const seen = publicReceiver(307, { location: internalUrl })
    const send = createFetchWebhookSender({ policy: {} })
    expect(await send(HOOK, body, signal())).toBe(307)
    expect(seen).toEqual([`POST ${HOOK}`])
    expect(internalHits).toBe(0)
  })

  it('does not turn a 303 into a GET elsewhere', async () => {
    publicReceiver(303, { location: internalUrl })
    const send = createFetchWebhookSender({ policy: {} })
    expect(await send(HOOK, body, signal())).toBe(303)
    expect(internalHits).toBe(0)
  })

  it.each([
    'https://2130706433/',
    'https://0x7f.1/',
    'https://[::ffff:7f00:1]/',
    'https://metadata.google.internal/',
  ])('refuses %s before fetching', async (url) => {
    const send = createFetchWebhookSender({
      policy: {},
      fetch: () => Promise.reject(new Error('must not be called')),
    })
    await expect(send(url, body, signal())).rejects.toEqual(refusal('url_not_allowed'))
  })

  it('keeps to the allow-list', async () => {
    publicReceiver()
    const send = createFetchWebhookSender({ policy: { allowedHosts: ['hooks.slack.com'] } })
    await expect(send(HOOK, body, signal())).rejects.toEqual(refusal('url_not_allowed'))
  })
})
