// `npm run build:worker`: bundles the Worker as `wrangler deploy` would, as a dry run (no account, no
// upload, no network), then prints the bundle's size raw and gzipped and fails above the 3 MB
// (gzipped) that the Workers free plan allows. wrangler runs scripts/prepare-worker.ts first.
import { execFile } from 'node:child_process'
import { readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import { runCli } from '../src/cli/run-cli.ts'

const OUT_DIR = 'dist/worker/bundle'
// The Workers free plan's limit on a Worker's size after compression (paid plans: 10 MB).
const LIMIT_BYTES = 3_000_000
// What is uploaded as the Worker's code; source maps and wrangler's README stay behind.
const MODULE = /\.(m?js|wasm)$/

const WRANGLER = 'node_modules/wrangler/bin/wrangler.js'

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`

async function main() {
  await rm(OUT_DIR, { recursive: true, force: true })
  await promisify(execFile)(process.execPath, [WRANGLER, 'deploy', '--dry-run', '--outdir', OUT_DIR], {
    // No telemetry, no prompts.
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`wrangler could not bundle the Worker:\n${error.stderr || error.stdout || String(error)}`)
  })
  let raw = 0
  let gzipped = 0
  const modules = (await readdir(OUT_DIR)).filter((file) => MODULE.test(file))
  for (const file of modules) {
    const content = await readFile(join(OUT_DIR, file))
    raw += content.length
    gzipped += gzipSync(content, { level: 9 }).length
  }
  if (modules.length === 0) throw new Error(`wrangler wrote no module to ${OUT_DIR}`)
  const share = ((gzipped / LIMIT_BYTES) * 100).toFixed(0)
  console.log(`Worker bundle (${modules.join(', ')}): ${kib(raw)} raw, ${kib(gzipped)} gzipped`)
  console.log(`Free-plan limit: ${kib(LIMIT_BYTES)} gzipped; the bundle uses ${share} %.`)
  if (gzipped > LIMIT_BYTES) {
    throw new Error(
      `The Worker bundle is ${kib(gzipped)} gzipped, above the free plan's ${kib(LIMIT_BYTES)}.`,
    )
  }
}

await runCli(main)
