// `npm run corpus:check [corpus-dir]`: the corpus's front matter, questions blocks, references between
// documents, verifiable sources and overdue reviews. Exits 1 on errors (invalid front matter or
// questions blocks, broken references); warnings (unverifiable sources, sections without questions,
// reviews past `review_by`) are listed and do not fail.
import { checkCorpus } from '../retrieval/corpus-check.ts'
import { loadCorpus } from '../retrieval/corpus-loader.ts'
import { commandLine, unexpectedArgument } from './command-line.ts'
import { USAGE } from './help-texts.ts'
import { runCli, UsageError } from './run-cli.ts'

await runCli(async () => {
  const { values, positionals } = commandLine(
    'corpus:check',
    { today: { type: 'string' } },
    { positionals: true },
  )
  if (positionals.length > 1) throw unexpectedArgument('corpus:check', positionals[1])
  const today = values.today ?? new Date().toISOString().slice(0, 10)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today))
    throw new UsageError(`--today needs a date like 2026-12-01\n${USAGE['corpus:check']}`)
  const dir = positionals[0] ?? 'corpus'
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
