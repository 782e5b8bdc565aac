// An exclusive lock on the embedded database directory, held by one process at a time.
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError'
}

/** Takes the lock or throws DataDirLockedError; returns the release function. A stale lock is taken over. */
export function acquireDataDirLock(dataDir: string): () => void {
  const file = join(dataDir, 'LOCK')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' })
      return () => rmSync(file, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = Number(readFileSync(file, 'utf8'))
      if (isAlive(holder)) {
        throw new DataDirLockedError(
          `The embedded database in ${dataDir} is in use by process ${holder} (probably the running server). ` +
            'Stop it first, or use the server API for this task.',
        )
      }
      rmSync(file, { force: true })
    }
  }
  throw new DataDirLockedError(`Could not lock ${dataDir}.`)
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
