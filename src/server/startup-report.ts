// The Node server's start-up and shutdown as steps: on a terminal one readable line per step (texts in
// startup-texts.ts) and a progress bar while the corpus is ingested; otherwise the JSON log lines that
// production and the tests read. The log lines after start-up follow the same choice (textLine).

import { progressBar } from '../cli/progress-bar.ts'
import type { Config } from '../config.ts'
import { type LogFields, type Logger, textLine } from '../log.ts'

export type LogFormat = 'json' | 'text'

/** The stream the server writes to: stdout, or a test's stand-in. */
export interface Output {
  write(text: string): unknown
  isTTY?: boolean | undefined
}

export function logFormat(setting: Config['LOG_FORMAT'], out: Output): LogFormat {
  if (setting !== 'auto') return setting
  return out.isTTY ? 'text' : 'json'
}

/** How log lines reach `out` in this format. */
export function logWriter(format: LogFormat, out: Output): (line: string) => void {
  return format === 'text' ? (line) => out.write(`${textLine(line)}\n`) : (line) => out.write(`${line}\n`)
}

export interface StartupReport {
  /** A step: its readable line on a terminal, its log line (message and fields) otherwise. */
  step(text: string, msg: string, fields?: LogFields): void
  /** A step the operator must not miss: logged as a warning, so that it shows at every log level. */
  notice(text: string, msg: string, fields?: LogFields): void
  /** A progress bar for a long step (terminal only). */
  progress(label: string): { update(done: number, total: number): void; done(): void }
}

export function createStartupReport(format: LogFormat, out: Output, logger: Logger): StartupReport {
  if (format === 'json')
    return {
      step: (_text, msg, fields) => logger.info(msg, fields),
      notice: (_text, msg, fields) => logger.warn(msg, fields),
      progress: () => ({ update() {}, done() {} }),
    }
  return {
    step: (text) => void out.write(`${text}\n`),
    notice: (text) => void out.write(`${text}\n`),
    progress: (label) => progressBar(label, out as NodeJS.WriteStream),
  }
}
