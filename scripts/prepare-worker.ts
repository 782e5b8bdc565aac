// Writes what the Worker bundles or serves but cannot make itself; wrangler runs it before every
// build ([build] in wrangler.toml). Into dist/worker/:
// - migrations.js: the migrations read from src/db/migrations by the code the Node server uses, bundled
//   as `#worker-migrations` (readiness compares them with the database's ledger);
// - assets/: the chat widget, the mentor console and the API reference's viewer as static assets, taken from the app's own
//   responses, with `_headers` repeating the headers the app sends for them (CORP cross-origin for
//   the widget, the console's CSP), so that serving them without the Worker changes nothing;
// - assets/wissen/: the knowledge pages (/wissen/{id}) of the documents in CORPUS_DIR (default
//   `corpus`, the directory the ingest reads), rendered by the app: a Worker has no files to read them
//   from, and as assets they add nothing to the Worker's bundle.
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { buildWidget } from '../src/channels/widget/build.ts'
import { runCli } from '../src/cli/run-cli.ts'
import { loadConfig } from '../src/config.ts'
import { readMigrations } from '../src/db/migration-files.ts'
import { createPgliteDatabase } from '../src/db/pglite.ts'
import { createLogger } from '../src/log.ts'
import { loadCorpus } from '../src/retrieval/corpus-loader.ts'
import { createLocalEmbedder } from '../src/retrieval/embedders/local-embedder.ts'
import { createApp } from '../src/server/app.ts'
import { readDocsAssets } from '../src/server/docs-assets.ts'

export const WORKER_DIR = 'dist/worker'
export const ASSETS_DIR = join(WORKER_DIR, 'assets')

/** URL path -> file under assets/ (`mentor.html` is served at /mentor). */
export const STATIC_ASSETS: ReadonlyArray<readonly [string, string]> = [
  ['/widget.js', 'widget.js'],
  ['/mentor', 'mentor.html'],
  ['/mentor/console.js', 'mentor/console.js'],
  ['/mentor/console.css', 'mentor/console.css'],
  ['/mentor/icon.svg', 'mentor/icon.svg'],
  ['/docs/swagger-ui-bundle.js', 'docs/swagger-ui-bundle.js'],
  ['/docs/swagger-ui.css', 'docs/swagger-ui.css'],
  ['/wissen.css', 'wissen.css'],
]

// Per response, not per file: the request id, and what the asset server sets itself.
const PER_RESPONSE = new Set(['x-request-id', 'content-length', 'date', 'etag'])

async function main() {
  const migrations = await readMigrations()
  await mkdir(WORKER_DIR, { recursive: true })
  await writeFile(
    join(WORKER_DIR, 'migrations.js'),
    `// Written by scripts/prepare-worker.ts from src/db/migrations; do not edit.\nexport default ${JSON.stringify(migrations, null, 2)}\n`,
  )

  const documents = await loadCorpus(loadConfig({ CORPUS_DIR: process.env.CORPUS_DIR }).CORPUS_DIR)
  // The static routes touch no database; an in-memory one keeps the app real.
  const database = await createPgliteDatabase()
  try {
    const app = createApp({
      config: loadConfig({}),
      database,
      migrations,
      logger: createLogger('silent'),
      embedder: createLocalEmbedder(),
      widgetScript: await buildWidget(),
      docsAssets: await readDocsAssets(),
      knowledge: async () => documents,
    })
    await rm(ASSETS_DIR, { recursive: true, force: true })
    const rules: string[] = []
    const copy = async (path: string, file: string) => {
      const res = await app.request(path)
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}, not 200`)
      const target = join(ASSETS_DIR, file)
      await mkdir(dirname(target), { recursive: true })
      await writeFile(target, new Uint8Array(await res.arrayBuffer()))
      return [...res.headers]
        .filter(([name]) => !PER_RESPONSE.has(name))
        .map(([name, value]) => `  ${name}: ${value}`)
    }
    for (const [path, file] of STATIC_ASSETS) rules.push(path, ...(await copy(path, file)))
    // `/wissen/{id}` is served from `wissen/{id}.html` (html_handling in wrangler.toml); every page
    // carries the same headers, given once for all of them.
    let pageHeaders: string[] = []
    for (const document of documents)
      pageHeaders = await copy(`/wissen/${document.meta.id}`, `wissen/${document.meta.id}.html`)
    if (documents.length) rules.push('/wissen/*', ...pageHeaders)
    await writeFile(join(ASSETS_DIR, '_headers'), `${rules.join('\n')}\n`)
  } finally {
    await database.close()
  }
  console.log(
    `Worker prepared: ${migrations.length} migrations, ${documents.length} knowledge pages, ${STATIC_ASSETS.length} static assets.`,
  )
}

await runCli(main)
