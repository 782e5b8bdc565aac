// `npm run corpus:check [corpus-dir]`: the corpus's front matter, questions blocks, references between
// documents, verifiable sources and overdue reviews. Exits 1 on errors (invalid front matter or
// questions blocks, broken references); warnings (unverifiable sources, sections without questions,
// reviews past `review_by`) are listed and do not fail.
import { checkCorpus } from '../retrieval/corpus-check.ts'
import { loadCorpus } from '../retrieval/corpus-loader.ts'
import { runCli, UsageError } from './run-cli.ts'

const HELP = `Usage: npm run corpus:check [-- <corpus-dir>] [--today YYYY-MM-DD]

Checks every document of the corpus (default: corpus) and lists what it finds:
  errors    invalid front matter or questions blocks, references to documents that do not exist
            (exit code 1)
  warnings  sources without an address, statute, ruling or official act; sections without a
            questions block; reviews past review_by`

await runCli(async () => {
  const args = process.argv.slice(2)
  if (args.includes('--help') || args.includes('-h')) return void console.log(HELP)
  const todayAt = args.indexOf('--today')
  const today = todayAt >= 0 ? args[todayAt + 1] : new Date().toISOString().slice(0, 10)
  if (!today || !/^\d{4}-\d{2}-\d{2}$/.test(today))
    throw new UsageError(`--today needs a date like 2026-12-01\n\n${HELP}`)
  const dir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--today') ?? 'corpus'
  const documents = await loadCorpus(dir)
  const findings = checkCorpus(documents, today)
  const errors = findings.filter((f) => f.level === 'error')
  const warnings = findings.filter((f) => f.level === 'warning')
  for (const f of [...errors, ...warnings]) console.log(`${f.level}: ${f.file}: ${f.problem}`)
  const count = (start: string) => warnings.filter((f) => f.problem.startsWith(start)).length
  console.log(
    `${documents.length} documents checked: ${errors.length} error(s), ${warnings.length} warning(s) ` +
      `(${count('review was due')} overdue review(s), ${count('source "')} unverifiable source(s), ` +
      `${warnings.filter((f) => f.problem.includes('no questions block')).length} document(s) with sections without questions).`,
  )
  if (errors.length) process.exitCode = 1
})
