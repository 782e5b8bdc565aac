// The embedded database runs a statement outside a transaction as a named statement: parsed once,
// the same results as PGlite's own query, and never inside a transaction another caller has open.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Database } from '../../src/db/database.ts'
import { toVectorLiteral } from '../../src/db/database.ts'
import { createPgliteDatabase } from '../../src/db/pglite.ts'
import { RENEW_AFTER } from '../../src/db/pglite-prepared.ts'

describe('named statements on the embedded database', () => {
  let db: Database
  beforeEach(async () => {
    db = await createPgliteDatabase()
    // Statements are prepared once the vector type (and its parser) is known, as after migrating.
    await db.exec('create extension vector')
    await db.query('select 1')
    await db.exec(
      `create table items (id int primary key, tags text[], doc jsonb, flag boolean, at timestamptz,
       embedding vector(3), note text)`,
    )
  })
  afterEach(async () => {
    await db.close()
  })

  const namedStatements = async (sql: string) =>
    (
      await db.query<{ n: number }>(
        'select count(*)::int as n from pg_prepared_statements where statement = $1',
        [sql],
      )
    ).rows[0]?.n

  it('parses a statement once and runs it again by name', async () => {
    const sql = 'select id from items where id = $1'
    expect(await namedStatements(sql)).toBe(0)
    await db.query(sql, [1])
    await db.query(sql, [2])
    await db.query(sql, [3])
    expect(await namedStatements(sql)).toBe(1)
  })

  it('plans a statement anew after many runs, so that its plan follows the tables as they grow', async () => {
    const sql = 'select id from items where id = $1'
    const names = async () =>
      (
        await db.query<{ name: string }>('select name from pg_prepared_statements where statement = $1', [
          sql,
        ])
      ).rows.map((r) => r.name)
    await db.query(sql, [0])
    const [first] = await names()
    for (let i = 1; i < RENEW_AFTER; i++) await db.query(sql, [i])
    expect(await names()).toEqual([first])
    await db.query(sql, [0])
    const renewed = await names()
    expect(renewed).toHaveLength(1)
    expect(renewed[0]).not.toBe(first)
  })

  it('passes parameters and parses results as PGlite does', async () => {
    const at = new Date('2026-12-03T08:15:00.000Z')
    const inserted = await db.query(
      'insert into items (id, tags, doc, flag, at, embedding, note) values ($1, $2, $3::jsonb, $4, $5, $6::vector, $7)',
      [1, ['a', 'b c'], JSON.stringify({ x: 1, y: ['z'] }), true, at, toVectorLiteral([1, 0.5, -2]), null],
    )
    expect(inserted.rowCount).toBe(1)
    const { rows } = await db.query('select * from items where id = $1', [1])
    expect(rows).toEqual([
      {
        id: 1,
        tags: ['a', 'b c'],
        doc: { x: 1, y: ['z'] },
        flag: true,
        at,
        embedding: [1, 0.5, -2],
        note: null,
      },
    ])
    const updated = await db.query('update items set note = $2 where id = $1', [1, 'n'])
    expect(updated.rowCount).toBe(1)
  })

  it('reports a failed statement with its SQLSTATE and goes on working', async () => {
    const sql = 'insert into items (id) values ($1)'
    await db.query(sql, [1])
    await expect(db.query(sql, [1])).rejects.toMatchObject({ code: '23505' })
    await db.query(sql, [2])
    expect((await db.query('select id from items order by id')).rows).toEqual([{ id: 1 }, { id: 2 }])
  })

  it('describes a statement again when a migration changed the table under it', async () => {
    const sql = 'select * from items where id = $1'
    await db.query('insert into items (id) values (1)')
    expect(Object.keys((await db.query(sql, [1])).rows[0] ?? {})).not.toContain('added')
    await db.exec('alter table items add column added text')
    expect((await db.query(sql, [1])).rows[0]).toMatchObject({ id: 1, added: null })
  })

  it('waits for an open transaction instead of running inside it', async () => {
    let inside!: () => void
    const opened = new Promise<void>((resolve) => {
      inside = resolve
    })
    let abort!: () => void
    const aborted = new Promise<void>((resolve) => {
      abort = resolve
    })
    const transaction = db.transaction(async (tx) => {
      await tx.query('insert into items (id) values (1)')
      inside()
      await aborted
      throw new Error('rolled back')
    })
    await opened
    // Sent while the transaction is open: it must not become part of it (and be rolled back with it).
    const outside = db.query('insert into items (id) values (2)')
    abort()
    await expect(transaction).rejects.toThrow('rolled back')
    await outside
    expect((await db.query('select id from items order by id')).rows).toEqual([{ id: 2 }])
  })
})
