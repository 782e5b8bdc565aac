// The mentor console's page, script and style. The page carries no inline script: its texts travel as
// a JSON data block, and the Content-Security-Policy allows scripts, styles and requests from this
// origin only.
import { mentorConsole } from './console-app.ts'
import { consoleCharts } from './console-charts.ts'
import { consoleTexts } from './console-texts.ts'

export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"

// `<` is escaped so that no text can close the data block.
const textsJson = JSON.stringify(consoleTexts).replaceAll('<', '\\u003c')

export const consolePage = `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${consoleTexts.de.title}</title>
<link rel="icon" href="/mentor/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/mentor/console.css">
<script type="application/json" id="console-texts">${textsJson}</script>
<script type="module" src="/mentor/console.js"></script>
</head>
<body>
<main id="app"></main>
<p id="live" role="status" aria-live="polite"></p>
</body>
</html>
`

// Type stripping leaves blanks where the types were; they are trimmed away.
const sourceOf = (fn: (...args: never[]) => unknown) =>
  fn
    .toString()
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{2,}/g, '\n')

// The console gets its chart drawing as an argument: both stay self-contained functions.
export const consoleScript = `(${sourceOf(mentorConsole)})((${sourceOf(consoleCharts)})())\n`

export const consoleStyle = `
:root { font-family: system-ui, sans-serif; color: #1b1f24; background: #f6f7f9; line-height: 1.5; }
body { margin: 0 auto; max-width: 60rem; padding: 1rem; }
header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; border-bottom: 1px solid #cfd4da; padding-bottom: .5rem; }
header .brand { font-weight: 600; margin: 0 auto 0 0; }
nav { display: flex; gap: 1rem; }
a { color: #0b4f8a; }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, h1:focus-visible {
  outline: 3px solid #f0a500; outline-offset: 2px; }
button { font: inherit; padding: .4rem .9rem; border: 1px solid #0b4f8a; background: #0b4f8a; color: #fff; border-radius: 4px; cursor: pointer; }
header button { background: #fff; color: #0b4f8a; }
label { display: block; font-weight: 600; margin-top: .75rem; }
input[type=checkbox] + label { display: inline; font-weight: normal; }
input, select, textarea { font: inherit; padding: .35rem; border: 1px solid #8a939c; border-radius: 4px; }
textarea { width: 100%; box-sizing: border-box; }
.queue { list-style: none; padding: 0; }
.queue li { background: #fff; border: 1px solid #dde1e5; border-radius: 6px; padding: .6rem .8rem; margin: .5rem 0; }
.queue li.urgent { border-left: 4px solid #b3261e; }
.meta { color: #535b63; font-size: .9rem; margin: .2rem 0; }
.hint { color: #535b63; font-size: .9rem; }
.transcript { list-style: none; padding: 0; }
.msg { background: #fff; border-left: 4px solid #8a939c; padding: .4rem .8rem; margin: .4rem 0; }
.msg.user { border-color: #0b4f8a; }
.msg.mentor { border-color: #1f7a3a; }
.msg .text { white-space: pre-wrap; margin: .2rem 0; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: 1rem; }
table { border-collapse: collapse; margin: 1rem 0; min-width: 20rem; }
caption { text-align: left; font-weight: 600; }
th, td { border-bottom: 1px solid #dde1e5; padding: .25rem .6rem; text-align: left; }
#live { min-height: 1.5rem; }
#setup-name, #setup-email, #token { width: min(100%, 28rem); box-sizing: border-box; }
#admin-token { width: min(100%, 34rem); box-sizing: border-box; font-family: ui-monospace, monospace; }
.charts { display: grid; gap: 1rem; }
.chart-figure { margin: 0; background: #fff; border: 1px solid #dde1e5; border-radius: 6px; padding: .6rem .8rem; }
.chart-figure figcaption { margin-bottom: .3rem; }
.chart { display: block; width: 100%; height: auto; }
.chart .grid { stroke: #dde1e5; stroke-width: 1; }
.chart .axis { fill: #535b63; font-size: 11px; }
.legend { list-style: none; padding: 0; margin: .3rem 0; display: flex; flex-wrap: wrap; gap: .3rem 1rem; font-size: .9rem; }
.swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; margin-right: .35rem; vertical-align: -.05rem; }
.series-0 { fill: #0b4f8a; background: #0b4f8a; }
.series-1 { fill: #c26a00; background: #c26a00; }
.series-2 { fill: #1f7a3a; background: #1f7a3a; }
.series-3 { fill: #b3261e; background: #b3261e; }
.series-4 { fill: #6b4fa0; background: #6b4fa0; }
.series-5 { fill: #535b63; background: #535b63; }
.chart-figure details { margin-top: .3rem; }
.chart-figure table { margin: .5rem 0; }
`

export const consoleIcon =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b4f8a"/>' +
  '<path d="M8 10h16v10H14l-5 4v-4H8z" fill="#fff"/></svg>'
