// The Worker in the local Workers runtime (`npm run test:worker`): wrangler dev and workerd as processes.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/worker/**/*.test.ts'],
    setupFiles: ['tests/setup/network-guard.ts'],
    // Bundling and starting workerd takes seconds; the machine may be busy.
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
})
