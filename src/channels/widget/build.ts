// Builds /widget.js from this folder with esbuild: one self-contained, minified script.
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

export async function buildWidget(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./widget.ts', import.meta.url))],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2022', 'chrome111', 'firefox111', 'safari16.4'],
    write: false,
    legalComments: 'none',
  })
  return result.outputFiles[0]?.text ?? ''
}
