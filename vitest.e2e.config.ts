// End-to-end tests in a real headless Chromium against the real Node server (`npm run test:e2e`).
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
})
