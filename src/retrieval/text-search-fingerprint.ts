// The stems the server's full-text configurations produce, as a fingerprint: stored full-text vectors
// follow the server that computed them, and stemmers change between major versions (German on
// PostgreSQL 15 and 18 differs in 58 of 4,954 corpus words). After such a change, ingest recomputes them.
import type { Queryable } from '../db/database.ts'

// Words whose stems are known to change, and common ones in both languages; the server's major version
// is part of the fingerprint too, so that a change outside this sample is caught as well.
const SAMPLE =
  'Betriebsräte Beschäftigten Arbeitsabläufe Datenschutzgrundverordnung Kompetenzen Qualifizierung ' +
  'Künstliche Intelligenz Führungskräfte Änderungen Mitbestimmung Schulungen Anwendungsfälle ' +
  'works councils employees running regulations automation responsibilities generalization'

export async function textSearchFingerprint(q: Queryable): Promise<string> {
  const { rows } = await q.query<{ fingerprint: string }>(
    `select (current_setting('server_version_num')::int / 10000)::text || ':' ||
            md5(to_tsvector('german', $1)::text || '|' || to_tsvector('english', $1)::text) as fingerprint`,
    [SAMPLE],
  )
  return rows[0]?.fingerprint ?? ''
}

export async function storedTextSearchFingerprint(q: Queryable): Promise<string | undefined> {
  const { rows } = await q.query<{ value: string }>(
    `select value #>> '{}' as value from store_settings where key = 'text_search'`,
  )
  return rows[0]?.value
}

/** Recomputes every stored full-text vector (a stored generated column is recomputed on update). */
export async function rewriteTextSearchVectors(q: Queryable): Promise<void> {
  await q.query('update chunks set text = text')
  await q.query('update chunk_questions set question = question')
}

export async function recordTextSearchFingerprint(q: Queryable, fingerprint: string): Promise<void> {
  await q.query(
    `insert into store_settings (key, value) values ('text_search', to_jsonb($1::text))
     on conflict (key) do update set value = excluded.value, updated_at = now()`,
    [fingerprint],
  )
}
