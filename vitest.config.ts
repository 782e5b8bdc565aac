// Test runner settings: every test file gets the network guard from tests/setup.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'tests/worker/**'],
    setupFiles: ['tests/setup/network-guard.ts'],
    // PGlite starts in about a second per instance; the wire-protocol suite starts several.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
