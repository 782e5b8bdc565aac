// The migrations bundled into the Worker (`#worker-migrations`): scripts/prepare-worker.ts writes them
// from src/db/migrations, the one source, before wrangler bundles.
import type { Migration } from '../db/migrate.ts'

declare const migrations: readonly Migration[]
export default migrations
