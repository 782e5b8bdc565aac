// The usage and help of every command a person runs, in one place: `--help` prints the help, a wrong
// call ends with the usage. English, like the rest of the command line.

export const USAGE = {
  start: 'Usage: npm start',
  'db:migrate': 'Usage: npm run db:migrate',
  ingest: 'Usage: npm run ingest [-- <corpus-dir>]',
  'corpus:check': 'Usage: npm run corpus:check [-- <corpus-dir>] [--today YYYY-MM-DD]',
  'conversations:erase': 'Usage: npm run conversations:erase -- <conversation id> [<conversation id> …]',
  'mentor:add': 'Usage: npm run mentor:add -- --name "Anna Berg" --tenant <slug> [--admin]',
  mentor: [
    'Usage: npm run mentor:list -- --tenant <slug> [--status active|disabled|expired]',
    '       npm run mentor:disable -- --id <mentor id>',
    '       npm run mentor:rotate -- --id <mentor id>',
    '       npm run mentor:remove -- --id <mentor id>',
  ].join('\n'),
  'tenant:set':
    'Usage: npm run tenant:set -- --slug <slug> --name "…" [--origin https://… …] [--privacy-url …] ' +
    '[--webhook …] [--webhook-format json|teams] [--theme-color #rrggbb] [--theme-position left|right] ' +
    '[--theme-title "…"] [--logo-url https://…]',
  'teams:package': 'Usage: npm run teams:package [-- --out <file.zip>]',
  screenshots: 'Usage: npm run screenshots [-- <file.png> …]',
} as const

export type Command = keyof typeof USAGE

const DATABASE =
  'Works on the configured database (DATABASE_URL, or the embedded one in DATA_DIR); with an embedded\n' +
  'database that a running server holds, it refuses instead of touching the files.'

const DESCRIPTION: Record<Command, string> = {
  start:
    'Serves the Digital-Mentor on http://HOST:PORT (default 127.0.0.1:8787): opens or creates the database,\n' +
    'applies migrations, ingests the corpus (INGEST_ON_START) and listens. All settings come from the\n' +
    'environment (see "Configuration" in the README); on a terminal it prints one line per step, otherwise\n' +
    'JSON log lines (LOG_FORMAT). Ctrl-C or SIGTERM stops it after in-flight requests.',
  'db:migrate': `Applies pending migrations to the configured database and exits.\n${DATABASE}`,
  ingest:
    'Loads the corpus (default: CORPUS_DIR, corpus) into the configured database and prints a summary.\n' +
    `Idempotent: only changed documents are embedded again.\n${DATABASE}`,
  'corpus:check':
    'Checks every document of the corpus (default: corpus) and lists what it finds:\n' +
    '  errors    invalid front matter or questions blocks, references to documents that do not exist\n' +
    '            (exit code 1)\n' +
    '  warnings  sources without an address, statute, ruling or official act; sections without a\n' +
    '            questions block; reviews past review_by\n\n' +
    'Options:\n  --today YYYY-MM-DD  the day reviews are due against (default: today)',
  'conversations:erase':
    'Erases conversations as DELETE /v1/conversations/{id} does, then compacts the embedded database: for\n' +
    `erasures to apply again after a backup was restored (their ids are in the logs).\n${DATABASE}`,
  'mentor:add':
    'Creates a mentor account (and the tenant when it is new) and prints its token once.\n\n' +
    'Options:\n' +
    '  --name "…"       the mentor’s name as users see it\n' +
    '  --tenant <slug>  the association (tenant) the mentor works for\n' +
    `  --admin          the account may manage the tenant’s mentors and settings\n\n${DATABASE}`,
  mentor:
    'The operator’s side of mentor accounts, for any tenant (every change is audited):\n' +
    '  list     the accounts of a tenant, optionally only those with a status\n' +
    '  disable  the account’s token stops working; its claimed tickets reopen\n' +
    '  rotate   a new token, printed once; the old one stops working\n' +
    `  remove   the account is removed; its token can never work again\n\n${DATABASE}`,
  'tenant:set':
    'Creates or replaces a tenant (an association that embeds the widget).\n\n' +
    'Options:\n' +
    '  --slug <slug>             the tenant’s short name, as in the widget’s data-tenant\n' +
    '  --name "…"                its name as users see it\n' +
    '  --origin https://…        a website allowed to embed the widget (repeat for several)\n' +
    '  --privacy-url https://…   its privacy notice, linked from the widget\n' +
    '  --webhook https://…       where new handoffs are announced\n' +
    '  --webhook-format json|teams\n' +
    '  --theme-color #rrggbb, --theme-position left|right, --theme-title "…", --logo-url https://…\n\n' +
    DATABASE,
  'teams:package':
    'Writes the Microsoft Teams app package (manifest and icons) for upload to Teams, from\n' +
    'MICROSOFT_APP_ID, PUBLIC_URL, TEAMS_PRIVACY_URL and TEAMS_TERMS_URL.\n\n' +
    'Options:\n  --out <file.zip>  where to write it (default: teams/digital-mentor-teams.zip)',
  screenshots:
    'Takes the screenshots in docs/screenshots/ (all, or the files named) in headless Chromium\n' +
    '(/usr/bin/chromium, or CHROMIUM_PATH) from the real server on a fresh embedded database.\n' +
    'The list of pages and viewports is SHOTS in scripts/screenshots.ts.',
}

/** What `--help` prints. */
export function helpText(command: Command): string {
  return `${USAGE[command]}\n\n${DESCRIPTION[command]}\n\n  -h, --help  show this help`
}
