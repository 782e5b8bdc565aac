// What the Node server tells a person at a terminal while it starts and stops, one line per step.
// German, as the service's first language; the JSON log lines carry the same facts for machines.
import type { IngestSummary } from '../retrieval/ingest.ts'

const number = (n: number) => n.toLocaleString('de-DE')
const seconds = (s: number) => `${s.toLocaleString('de-DE', { maximumFractionDigits: 1 })} s`

export const startupTexts = {
  starting: (nodeVersion: string) => `Digital-Mentor startet (Node ${nodeVersion}) …`,
  database: (where: string, applied: number, total: number) =>
    applied === total && total > 0
      ? `Datenbank angelegt: ${where} (${number(applied)} Migrationen)`
      : applied > 0
        ? `Datenbank aktualisiert: ${where} (${number(applied)} neue Migrationen)`
        : `Datenbank geöffnet: ${where}`,
  embedded: (dir: string) => `eingebettetes PostgreSQL in ${dir}`,
  postgres: 'PostgreSQL (DATABASE_URL)',
  ingesting: 'Korpus einlesen',
  ingested: (s: IngestSummary) => {
    const documents = s.added + s.updated + s.unchanged
    return s.added + s.updated + s.removed === 0 && !s.reembedded
      ? `Korpus unverändert: ${number(documents)} Dokumente`
      : `Korpus eingelesen: ${number(documents)} Dokumente (${number(s.added)} neu, ${number(s.updated)} geändert, ` +
          `${number(s.removed)} entfernt), ${number(s.chunks)} Abschnitte eingebettet in ${seconds(s.seconds)}`
  },
  ingestOff: 'Korpus nicht eingelesen (INGEST_ON_START=false)',
  answersGenerated: (model: string) => `Antworten: Sprachmodell ${model}`,
  answersOffline: 'Antworten: offline aus dem Korpus (kein Sprachmodell; OPENAI_API_KEY setzt eines)',
  ready: (url: string) => `Bereit: ${url}/ · Mentor-Konsole /mentor · API /docs`,
  setupLink: (url: string, hours: number) =>
    `Noch kein Admin-Konto: einmaliger Link zum Anlegen im Browser (${number(hours)} h gültig): ${url}`,
  stopping: 'Wird beendet … (laufende Antworten dürfen fertig werden)',
  stopped: 'Beendet.',
}
