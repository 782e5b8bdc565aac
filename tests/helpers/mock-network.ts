// The one msw server of a test file; tests add handlers with `mockNetwork.use(…)`.
import { setupServer } from 'msw/node'

export const mockNetwork = setupServer()
