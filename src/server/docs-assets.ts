// The API reference's viewer (Swagger UI from the swagger-ui-dist package), read from node_modules by
// the hosts that have a file system: the Node server and the Worker's build, which serves the same
// files as static assets.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { DocsAssets } from './routes/docs.ts'

// The bundles name their source maps, which are not served.
const withoutSourceMap = (text: string) => text.replace(/\n?\/[/*]# sourceMappingURL=\S+(\s*\*\/)?\s*$/, '\n')

export async function readDocsAssets(): Promise<DocsAssets> {
  const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
  const [script, style] = await Promise.all(
    ['swagger-ui-bundle.js', 'swagger-ui.css'].map(async (file) =>
      withoutSourceMap(await readFile(join(dir, file), 'utf8')),
    ),
  )
  return { script: script ?? '', style: style ?? '' }
}
