// No test reaches the network: msw answers what the tests mock, and any other request fails the test.
// Loopback stays open, because the start-up tests talk to a server they spawned on this machine.
import { afterAll, afterEach, beforeAll } from 'vitest'
import { mockNetwork } from '../helpers/mock-network.ts'

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

beforeAll(() => {
  mockNetwork.listen({
    onUnhandledFrame: ({ frame, defaults }) => {
      const request = (frame.data as { request?: Request }).request
      if (request && LOOPBACK.has(new URL(request.url).hostname)) return
      defaults.error()
    },
  })
})
afterEach(() => mockNetwork.resetHandlers())
afterAll(() => mockNetwork.close())
