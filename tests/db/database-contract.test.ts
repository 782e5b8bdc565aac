// The same contract on both database paths: queries, transactions, migrations, pgvector, German full text.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { toVectorLiteral } from '../../src/db/database.ts'
import { type Migration, MigrationError, migrate, pendingMigrations } from '../../src/db/migrate.ts'
import { readMigrations } from '../../src/db/migration-files.ts'
import { databaseAdapters, type TestDatabase } from '../helpers/databases.ts'

describe.each(databaseAdapters)('database contract: $name', (adapter) => {
  let t: TestDatabase
  beforeEach(async () => {
    t = await adapter.open()
  })
  afterEach(async () => {
    await t.dispose()
  })

  it('runs parameterised queries and reports row counts', async () => {
    await t.database.exec('create table notes (id int primary key, body text)')
    const inserted = await t.database.query('insert into notes values ($1, $2), ($3, $4)', [
      1,
      'eins',
      2,
      'zwei',
    ])
    expect(inserted.rowCount).toBe(2)
    const { rows } = await t.database.query<{ body: string }>('select body from notes where id = $1', [2])
    expect(rows).toEqual([{ body: 'zwei' }])
  })

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await t.database.exec('create table ledger (n int)')
    await t.database.transaction(async (tx) => {
      await tx.query('insert into ledger values (1)')
    })
    await expect(
      t.database.transaction(async (tx) => {
        await tx.query('insert into ledger values (2)')
        throw new Error('abort')
      }),
    ).rejects.toThrow('abort')
    const { rows } = await t.database.query<{ n: number }>('select n from ledger order by n')
    expect(rows).toEqual([{ n: 1 }])
  })

  it('applies the shipped migrations once; a second run changes nothing', async () => {
    const migrations = await readMigrations()
    expect(await pendingMigrations(t.database, migrations)).toEqual(migrations.map((m) => m.name))
    expect(await migrate(t.database, migrations)).toEqual(migrations.map((m) => m.name))
    const schema = () =>
      t.database.query(
        `select table_name, column_name, data_type from information_schema.columns
         where table_schema = 'public' order by table_name, column_name`,
      )
    const before = (await schema()).rows
    expect(before.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['tenants', 'mentors', 'documents', 'chunks', 'conversations', 'messages']),
    )
    expect(await migrate(t.database, migrations)).toEqual([])
    expect((await schema()).rows).toEqual(before)
    expect(await pendingMigrations(t.database, migrations)).toEqual([])
    const { rows } = await t.database.query('select slug from tenants')
    expect(rows).toEqual([{ slug: 'default' }])
  })

  it('indexes every column a cascading delete follows', async () => {
    await migrate(t.database, await readMigrations())
    // A foreign key with ON DELETE CASCADE or SET NULL is searched for each deleted row it points at
    // (retention deletes conversations in batches): without an index led by its column, that is a scan
    // of the whole referencing table per row.
    const { rows } = await t.database.query<{ fk: string }>(
      `select c.conrelid::regclass::text || '.' || a.attname as fk
       from pg_constraint c
       join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
       where c.contype = 'f' and c.confdeltype in ('c', 'n')
         and not exists (select 1 from pg_index i where i.indrelid = c.conrelid and i.indkey[0] = c.conkey[1])
       order by 1`,
    )
    expect(rows.map((r) => r.fk)).toEqual([])
  })

  it('rolls back a failing migration, reports it and keeps the ones before it', async () => {
    const migrations: Migration[] = [
      { name: '001_good', sql: 'create table good (id int);' },
      { name: '002_bad', sql: 'create table half_done (id int); select * from no_such_table;' },
      { name: '003_after', sql: 'create table after_bad (id int);' },
    ]
    const failure = await migrate(t.database, migrations).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(MigrationError)
    expect((failure as Error).message).toMatch(/002_bad failed and was rolled back/)
    const tables = await t.database.query<{ name: string | null }>(
      `select to_regclass('good')::text as name union all select to_regclass('half_done')::text
       union all select to_regclass('after_bad')::text`,
    )
    expect(tables.rows.map((r) => r.name)).toEqual(['good', null, null])
    expect(await pendingMigrations(t.database, migrations)).toEqual(['002_bad', '003_after'])
  })

  it('stores vectors and finds nearest neighbours through an HNSW index', async () => {
    await t.database.exec(`
      create extension if not exists vector;
      create table items (id text primary key, embedding vector(3));
      create index items_hnsw on items using hnsw (embedding vector_cosine_ops);`)
    const items: Array<[string, number[]]> = [
      ['east', [1, 0, 0]],
      ['north', [0, 1, 0]],
      ['north-east', [0.7, 0.7, 0]],
      ['up', [0, 0, 1]],
    ]
    for (const [id, embedding] of items) {
      await t.database.query('insert into items values ($1, $2::vector)', [id, toVectorLiteral(embedding)])
    }
    await t.database.exec('set enable_seqscan = off')
    const plan = await t.database.query<{ 'QUERY PLAN': string }>(
      `explain select id from items order by embedding <=> '[1,0.1,0]'::vector limit 3`,
    )
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('items_hnsw')
    const { rows } = await t.database.query<{ id: string; embedding: number[] }>(
      'select id, embedding from items order by embedding <=> $1::vector limit 3',
      [toVectorLiteral([1, 0.1, 0])],
    )
    expect(rows.map((r) => r.id)).toEqual(['east', 'north-east', 'north'])
    expect(rows[0]?.embedding).toEqual([1, 0, 0])
    // Inside a transaction and on a later statement the vector still comes back as numbers.
    const inside = await t.database.transaction((tx) =>
      tx.query<{ embedding: number[] }>(`select embedding from items where id = 'up'`),
    )
    expect(inside.rows[0]?.embedding).toEqual([0, 0, 1])
    const again = await t.database.query<{ embedding: number[] }>(
      `select embedding from items where id = 'north'`,
    )
    expect(again.rows[0]?.embedding).toEqual([0, 1, 0])
  })

  it('matches inflected German words with the german full-text configuration', async () => {
    const { rows } = await t.database.query<{ hit: boolean; miss: boolean }>(
      `select to_tsvector('german', 'Die Betriebsräte wurden über die Einführung informiert')
                @@ websearch_to_tsquery('german', 'Betriebsrat Einführungen') as hit,
              to_tsvector('german', 'Die Betriebsräte wurden informiert')
                @@ websearch_to_tsquery('german', 'Gesundheit') as miss`,
    )
    expect(rows).toEqual([{ hit: true, miss: false }])
  })
})
