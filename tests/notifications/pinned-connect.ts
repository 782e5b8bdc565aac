// Run as its own process (no msw, which intercepts sockets in the test runner): connects to a name
// that does not exist through the pinned lookup, which must lead to the checked address on loopback.
// Prints one line per kind of connection: the address the socket reached, and the HTTP status.
import { createServer, request } from 'node:http'
import { connect } from 'node:net'
import { pinnedLookup } from '../../src/notifications/node-webhook-sender.ts'

const server = createServer((_req, res) => res.end('ok'))
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const { port } = server.address() as { port: number }
const lookup = pinnedLookup([{ address: '127.0.0.1', family: 4 }])

for (const autoSelectFamily of [true, false]) {
  const remote = await new Promise<string | undefined>((resolve, reject) => {
    const socket = connect({ host: 'pinned.invalid', port, autoSelectFamily, lookup })
    socket.once('connect', () => {
      resolve(socket.remoteAddress)
      socket.destroy()
    })
    socket.once('error', reject)
  })
  console.log(`socket autoSelectFamily=${autoSelectFamily}: ${remote}`)
}
const status = await new Promise<number | undefined>((resolve, reject) => {
  request(`http://pinned.invalid:${port}/`, { lookup, agent: false }, (res) => {
    res.resume()
    resolve(res.statusCode)
  })
    .once('error', reject)
    .end()
})
console.log(`http: ${status}`)
server.close()
