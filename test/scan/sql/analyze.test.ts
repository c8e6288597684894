import { beforeAll, describe, expect, it } from 'vitest';
import { createStatementAnalyzer, createStoredAnalyzer, loadStatementAnalyzer, translatePlaceholders, type AnalysisStore, type SqlDialect, type StatementAnalysis, type StatementAnalyzer } from '../../../src/scan/sql/analyze.js';
import { extractTablesByTokens } from '../../../src/scan/sql/fallback.js';

let analyzer: StatementAnalyzer;
beforeAll(async () => {
  analyzer = await loadStatementAnalyzer();
});

interface RuleCase {
  name: string;
  sql: string;
  dialect?: SqlDialect;
  kind: string;
  reads?: string[];
  writes?: string[];
  ddl?: string[];
  /** Why the token fallback gets this one wrong (it is only used on statements no parser accepts). */
  fallbackMiss?: string;
}

const rules: RuleCase[] = [
  { name: 'CTE names are not tables', sql: 'WITH u AS (SELECT id FROM users) SELECT * FROM u', kind: 'select', reads: ['users'] },
  { name: 'a CTE named like a table shadows it, a qualified name does not', sql: 'WITH posts AS (SELECT 1 AS id) SELECT * FROM posts JOIN content.posts p ON true', kind: 'select', reads: ['content.posts'] },
  { name: 'data-modifying CTE: delete then insert', sql: 'WITH d AS (DELETE FROM queue WHERE id = $1 RETURNING *) INSERT INTO queue_done SELECT * FROM d', kind: 'insert', writes: ['queue', 'queue_done'] },
  { name: 'data-modifying CTE: update read by the main select', sql: 'WITH u AS (UPDATE counters SET n = n + 1 WHERE k = $1 RETURNING n) SELECT n FROM u', kind: 'select', writes: ['counters'] },
  { name: 'UPDATE .. FROM reads', sql: 'UPDATE orders o SET total = s.total FROM order_sums s WHERE s.id = o.id', kind: 'update', reads: ['order_sums'], writes: ['orders'] },
  { name: 'DELETE .. USING reads', sql: 'DELETE FROM likes l USING posts p WHERE p.id = l.post_id AND p.deleted', kind: 'delete', reads: ['posts'], writes: ['likes'] },
  { name: 'JOIN-only reads', sql: 'SELECT 1 FROM a JOIN b ON a.id = b.id LEFT OUTER JOIN c ON c.id = b.id RIGHT JOIN d USING (id)', kind: 'select', reads: ['a', 'b', 'c', 'd'] },
  { name: 'subquery in WHERE', sql: 'SELECT * FROM posts WHERE author_id = ANY (SELECT id FROM users WHERE banned)', kind: 'select', reads: ['posts', 'users'] },
  { name: 'subquery in FROM', sql: 'SELECT * FROM (SELECT * FROM (SELECT id FROM deep) x) y', kind: 'select', reads: ['deep'] },
  { name: 'public.x is x', sql: 'SELECT * FROM public.users', kind: 'select', reads: ['users'] },
  { name: 'other schemas stay qualified', sql: 'INSERT INTO audit.events SELECT * FROM staging.events', kind: 'insert', reads: ['staging.events'], writes: ['audit.events'] },
  { name: 'quoted "public"."users"', sql: 'DELETE FROM "public"."users" WHERE "id" = $1', kind: 'delete', writes: ['users'] },
  { name: 'quoted names keep their case, unquoted fold', sql: 'SELECT * FROM "Users" JOIN Orders ON true', kind: 'select', reads: ['Users', 'orders'] },
  { name: 'EXTRACT(... FROM x) is not a table', sql: 'SELECT extract(hour FROM created_at) FROM visits', kind: 'select', reads: ['visits'] },
  { name: 'SUBSTRING(x FROM 2) is not a table', sql: 'SELECT substring(code FROM 2) FROM coupons', kind: 'select', reads: ['coupons'] },
  { name: 'IS DISTINCT FROM is not a table', sql: 'SELECT id FROM items WHERE price IS NOT DISTINCT FROM $1', kind: 'select', reads: ['items'] },
  { name: 'INSERT .. SELECT', sql: 'INSERT INTO b (id) SELECT id FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.id = a.id)', kind: 'insert', reads: ['a', 'b'], writes: ['b'] },
  { name: 'MERGE writes the target, reads the source', sql: 'MERGE INTO stock s USING deliveries d ON s.item = d.item WHEN MATCHED THEN UPDATE SET qty = s.qty + d.qty', kind: 'merge', reads: ['deliveries'], writes: ['stock'] },
  { name: 'TRUNCATE several tables', sql: 'TRUNCATE a, public.b, s.c', kind: 'truncate', writes: ['a', 'b', 's.c'] },
  { name: 'CREATE TABLE', sql: 'CREATE TABLE IF NOT EXISTS posts (id uuid PRIMARY KEY, author_id uuid REFERENCES users (id))', kind: 'create-table', ddl: ['posts'] },
  { name: 'CREATE TABLE .. AS reads its query', sql: 'CREATE TABLE snapshot AS SELECT * FROM live', kind: 'create-table', reads: ['live'], ddl: ['snapshot'] },
  { name: 'CREATE TABLE .. PARTITION OF', sql: 'CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM (1) TO (2)', kind: 'create-table', ddl: ['events', 'events_2024'], fallbackMiss: 'the parent after PARTITION OF is not a keyword pattern' },
  { name: 'CREATE INDEX', sql: 'CREATE INDEX ON public.posts (created_at)', kind: 'create-index', ddl: ['posts'] },
  { name: 'CREATE VIEW', sql: 'CREATE VIEW v AS SELECT * FROM a JOIN b ON true', kind: 'create-view', reads: ['a', 'b'], ddl: ['v'] },
  { name: 'CREATE MATERIALIZED VIEW', sql: 'CREATE MATERIALIZED VIEW mv AS SELECT count(*) FROM a', kind: 'create-view', reads: ['a'], ddl: ['mv'] },
  { name: 'ALTER TABLE', sql: 'ALTER TABLE IF EXISTS ONLY users ADD CONSTRAINT fk FOREIGN KEY (org) REFERENCES orgs (id)', kind: 'alter-table', ddl: ['users'] },
  { name: 'ALTER TABLE .. RENAME TO', sql: 'ALTER TABLE s.old_name RENAME TO new_name', kind: 'alter-table', ddl: ['s.new_name', 's.old_name'], fallbackMiss: 'the new name is not recorded' },
  { name: 'DROP TABLE', sql: 'DROP TABLE a, s.b', kind: 'drop', ddl: ['a', 's.b'] },
  { name: 'DROP INDEX is not a table', sql: 'DROP INDEX idx_a', kind: 'drop' },
  { name: 'sqlx $1 parameters', sql: 'SELECT * FROM t WHERE id = $1 AND tags && $2::text[]', kind: 'select', reads: ['t'] },
  { name: 'cornucopia :param and --! annotation', sql: '--! find_user : (email?)\nSELECT id FROM users WHERE email = :email AND created_at > :since::timestamptz', kind: 'select', reads: ['users'] },
  { name: 'GRANT names no read', sql: 'GRANT SELECT ON posts TO reader', kind: 'other' },
  { name: 'REVOKE .. FROM role names no read', sql: 'REVOKE ALL ON posts FROM reader', kind: 'other' },
  { name: 'COPY .. FROM writes', sql: 'COPY imports (a, b) FROM STDIN', kind: 'copy', writes: ['imports'] },
  { name: 'FOR UPDATE and ON CONFLICT DO UPDATE are not targets', sql: "INSERT INTO a (k) SELECT k FROM b FOR UPDATE ON CONFLICT (k) DO UPDATE SET k = 'x'", kind: 'insert', reads: ['b'], writes: ['a'] },
  { name: 'set-returning functions are not tables', sql: 'SELECT * FROM unnest($1::int[]) AS x(id) JOIN lateral generate_series(1, 3) g ON true', kind: 'select' },
  {
    name: 'trigger function body (PL/pgSQL)',
    sql: 'CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN INSERT INTO audit_log SELECT NEW.*; IF EXISTS (SELECT 1 FROM members WHERE uid = NEW.uid) THEN DELETE FROM invites WHERE uid = NEW.uid; END IF; RETURN NEW; END $$ LANGUAGE plpgsql',
    kind: 'create-function',
    reads: ['members'],
    writes: ['audit_log', 'invites'],
    fallbackMiss: 'the fallback does not look inside dollar-quoted bodies',
  },
  { name: 'SQL function body', sql: "CREATE FUNCTION n() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM posts'", kind: 'create-function', reads: ['posts'], fallbackMiss: 'the fallback does not look inside quoted bodies' },
  { name: 'DO block', sql: 'DO $$ BEGIN CREATE TABLE IF NOT EXISTS t2 (a int); UPDATE t1 SET a = 1; END $$', kind: 'other', writes: ['t1'], ddl: ['t2'], fallbackMiss: 'the fallback does not look inside dollar-quoted bodies' },
];

describe('table rules', () => {
  it.each(rules.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const analysis = analyzer.analyzeStatement(c.sql, c.dialect ?? 'postgres');
    expect(analysis).toMatchObject({ kind: c.kind, reads: c.reads ?? [], writes: c.writes ?? [], ddl: c.ddl ?? [], parser: 'libpg-query' });
    expect(analysis.error).toBeUndefined();
  });

  it.each(rules.map((c) => [c.name, c] as const))('fallback: %s', (_name, c) => {
    const extraction = extractTablesByTokens(c.sql, c.dialect ?? 'postgres');
    const expected = { reads: c.reads ?? [], writes: c.writes ?? [], ddl: c.ddl ?? [] };
    const actual = { reads: extraction.reads, writes: extraction.writes, ddl: extraction.ddl };
    if (c.fallbackMiss) expect(actual, c.fallbackMiss).not.toEqual(expected);
    else expect(actual).toEqual(expected);
  });
});

describe('statements the parser rejects', () => {
  it('UPDATE .. ORDER BY .. LIMIT is an error with location and a conservative, uncertain extraction', () => {
    const sql = "UPDATE jobs SET state = 'ready' WHERE state = 'held' ORDER BY id LIMIT 10";
    const analysis = analyzer.analyzeStatement(sql, 'postgres');
    expect(analysis).toMatchObject({ kind: 'update', writes: ['jobs'], reads: [], uncertain: true, parser: 'fallback' });
    expect(analysis.error).toEqual({ message: 'syntax error at or near "ORDER"', offset: sql.indexOf('ORDER') });
  });

  it('reports the offset in UTF-16 units after astral characters', () => {
    const sql = "SELECT '🎉é' FROM t WHERE ORDER";
    expect(analyzer.analyzeStatement(sql, 'postgres').error?.offset).toBe(sql.indexOf('ORDER'));
  });

  it('maps the offset back through translated :params', () => {
    const sql = 'SELECT * FROM t WHERE a = :first_value AND b = :second GROUP';
    const analysis = analyzer.analyzeStatement(sql, 'postgres');
    expect(analysis.error?.offset).toBe(sql.indexOf('GROUP') + 'GROUP'.length);
    expect(analysis.reads).toEqual(['t']);
  });

  it('never drops a statement: garbage still yields an analysis', () => {
    const analysis = analyzer.analyzeStatement('SELEKT * FRUM nowhere', 'postgres');
    expect(analysis).toMatchObject({ kind: 'other', reads: [], writes: [], ddl: [], uncertain: true });
    expect(analysis.error?.message).toMatch(/syntax error/);
  });

  it('an empty or comment-only statement is empty, not an error', () => {
    expect(analyzer.analyzeStatement('-- nothing here\n', 'postgres')).toMatchObject({ kind: 'empty', uncertain: false });
  });

  it('a function body the PL/pgSQL compiler rejects falls back to tokens, uncertain', () => {
    const sql = 'CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN QUERY SELECT id FROM things; END $$ LANGUAGE plpgsql';
    expect(analyzer.analyzeStatement(sql, 'postgres')).toMatchObject({ kind: 'create-function', reads: ['things'], uncertain: true });
  });

  it('dynamic EXECUTE in a body makes the result uncertain', () => {
    const sql = "DO $$ BEGIN EXECUTE format('DELETE FROM %I', 'x'); END $$";
    expect(analyzer.analyzeStatement(sql, 'postgres')).toMatchObject({ writes: [], uncertain: true });
  });
});

describe('dialects', () => {
  it.each([
    ['INTERVAL 90 DAY', 'SELECT count() FROM events WHERE ts > now() - INTERVAL 90 DAY', { reads: ['events'] }],
    ['LIMIT n BY', 'SELECT * FROM events LIMIT 1 BY user_id', { reads: ['events'] }],
    ['FORMAT JSONEachRow', 'INSERT INTO events FORMAT JSONEachRow', { writes: ['events'] }],
    ['ENGINE = MergeTree', 'CREATE TABLE events (a UInt8) ENGINE = MergeTree ORDER BY a', { ddl: ['events'] }],
    ['EXCHANGE TABLES', 'EXCHANGE TABLES a_new AND a', { ddl: ['a', 'a_new'] }],
    ['RENAME TABLE', 'RENAME TABLE db.a TO db.b', { ddl: ['db.a', 'db.b'] }],
    ['ALTER TABLE .. DELETE', 'ALTER TABLE events ON CLUSTER main DELETE WHERE ts < now()', { writes: ['events'] }],
    ['INSERT INTO TABLE', 'INSERT INTO TABLE t (a) VALUES (1)', { writes: ['t'] }],
    ['table functions are not tables', "SELECT * FROM remote('host', db, t) JOIN numbers(10) n ON true", {}],
  ])('ClickHouse %s: fallback tables, uncertain', (_name, sql, tables) => {
    const analysis = analyzer.analyzeStatement(sql, 'clickhouse');
    expect(analysis).toMatchObject({ reads: [], writes: [], ddl: [], ...tables, uncertain: true, parser: 'fallback' });
    expect(analysis.error).toBeUndefined();
  });

  it('ClickHouse keeps table-name case; PostgreSQL folds it', () => {
    expect(analyzer.analyzeStatement('SELECT * FROM Events', 'clickhouse').reads).toEqual(['Events']);
    expect(analyzer.analyzeStatement('SELECT * FROM Events', 'postgres').reads).toEqual(['events']);
  });

  it('SQLite placeholders are translated, so plain statements parse with certainty', () => {
    expect(analyzer.analyzeStatement('UPDATE resources SET name = ?1 WHERE id = @id OR key = $key OR x = ?', 'sqlite')).toMatchObject({
      writes: ['resources'],
      uncertain: false,
      parser: 'libpg-query',
    });
  });

  it('MySQL goes to the fallback with backtick names', () => {
    expect(analyzer.analyzeStatement('SELECT * FROM `Orders` o JOIN `db`.`Items` i ON i.o = o.id', 'mysql')).toMatchObject({
      reads: ['Orders', 'db.Items'],
      uncertain: true,
    });
  });
});

describe('translatePlaceholders', () => {
  it.each([
    ['cornucopia :param', 'a = :id', 'postgres', 'a = $1'],
    ['casts stay', 'a::int = :n::int', 'postgres', 'a::int = $1::int'],
    ['strings and comments stay', "':x' -- :y\n= :z", 'postgres', "':x' -- :y\n= $1"],
    ['jsonb ? stays in PostgreSQL', "d ? 'k'", 'postgres', "d ? 'k'"],
    ['SQLite ?, ?NNN, @name, $name', 'a = ? AND b = ?12 AND c = @c AND d = $d AND e = $1', 'sqlite', 'a = $1 AND b = $1 AND c = $1 AND d = $1 AND e = $1'],
    ['no placeholder candidate at all', 'SELECT * FROM t WHERE id = $1', 'postgres', 'SELECT * FROM t WHERE id = $1'],
    ['a :name after a cast (::) stays', 'a::b :c', 'postgres', 'a::b $1'],
    ['triple colon: the third follows a colon', 'x :::y', 'postgres', 'x :::y'],
    [':name at start and end', ':a + :b_2', 'postgres', '$1 + $1'],
    [':1 is no name', 'a = :1', 'postgres', 'a = :1'],
    ['a word run swallows : neighbours only when they follow $ or letters', 'ab:cd x$y:z', 'postgres', 'ab$1 x$y$1'],
    ['quoted identifiers and backticks stay', '"a:b" = `:c` AND :d', 'postgres', '"a:b" = `:c` AND $1'],
    ['doubled quotes inside strings', "'it'':s' = :v", 'postgres', "'it'':s' = $1"],
    ['E-strings take backslash escapes', "E'\\' :x' = :y", 'postgres', "E'\\' :x' = $1"],
    ['a standard string ends at backslash-quote', "'C:\\' = :y", 'postgres', "'C:\\' = $1"],
    ['nested block comments', '/* :a /* :b */ :c */ :d', 'postgres', '/* :a /* :b */ :c */ $1'],
    ['line comment runs to the newline', '-- :a\n:b', 'postgres', '-- :a\n$1'],
    ['dollar-quoted bodies stay', '$$ :a $$ $t$ :b $t$ :c', 'postgres', '$$ :a $$ $t$ :b $t$ $1'],
    ['non-ASCII letters are not word characters', 'é:x', 'postgres', 'é$1'],
    ['sqlite: ? inside strings and comments stays', "'?' -- ?\n?", 'sqlite', "'?' -- ?\n$1"],
    ['sqlite: ?name and trailing ?', 'a = ?abc AND b = ?', 'sqlite', 'a = $1 AND b = $1'],
    ['sqlite: @ and $ need a name', 'a @ 1 AND $ AND @1', 'sqlite', 'a @ 1 AND $ AND @1'],
    ['sqlite: $name inside a word stays', 'x$y AND $z', 'sqlite', 'x$y AND $1'],
    ['sqlite: dollar quotes still quote', '$q$ ? $q$ ?', 'sqlite', '$q$ ? $q$ $1'],
    ['postgres: @ and ? are operators', "a @> b AND d ? 'k' AND @x", 'postgres', "a @> b AND d ? 'k' AND @x"],
  ] as const)('%s', (_name, sql, dialect, expected) => {
    expect(translatePlaceholders(sql, dialect).text).toBe(expected);
  });

  it('maps offsets in the translated text back to the original', () => {
    const sql = 'a = :long_name AND b = :c OR d';
    const { text, toOriginal } = translatePlaceholders(sql, 'postgres');
    expect(text).toBe('a = $1 AND b = $1 OR d');
    expect([0, 4, 5, 6, 11, 16, 17, 18, 21].map(toOriginal)).toEqual([0, 4, 4, 14, 19, 23, 25, 26, 29]);
  });

  it('maps offsets one to one when nothing is translated', () => {
    const { text, toOriginal } = translatePlaceholders('SELECT 1::int', 'postgres');
    expect(text).toBe('SELECT 1::int');
    expect([0, 7, 13].map(toOriginal)).toEqual([0, 7, 13]);
  });
});

describe('cache', () => {
  it('parses each distinct (dialect, text) once', () => {
    let parses = 0;
    const cached = createStatementAnalyzer({
      parse: () => {
        parses++;
        return { stmts: [{ stmt: { SelectStmt: { fromClause: [{ RangeVar: { relname: 'a' } }] } } }] };
      },
    });
    const first = cached.analyzeStatement('SELECT * FROM a', 'postgres');
    expect(cached.analyzeStatement('SELECT * FROM a', 'postgres')).toBe(first);
    cached.analyzeStatement('SELECT * FROM a', 'sqlite');
    cached.analyzeStatement('SELECT * FROM a ', 'postgres');
    expect(parses).toBe(3);
    expect(first.reads).toEqual(['a']);
  });
});

describe('analyses of an earlier run', () => {
  const stored: StatementAnalysis = { kind: 'select', reads: ['stored_table'], writes: [], ddl: [], uncertain: false, parser: 'libpg-query' };
  const known = (): AnalysisStore => new Map([['postgres', new Map([['SELECT * FROM a', stored]])]]);

  it('are taken without parsing, and the rest is parsed', () => {
    const parsed: string[] = [];
    const analyzer = createStatementAnalyzer(
      {
        parse: (sql) => {
          parsed.push(sql);
          return { stmts: [{ stmt: { SelectStmt: { fromClause: [{ RangeVar: { relname: 'b' } }] } } }] };
        },
      },
      known(),
    );
    expect(analyzer.analyzeStatement('SELECT * FROM a', 'postgres')).toBe(stored);
    expect(analyzer.analyzeStatement('SELECT * FROM b', 'postgres').reads).toEqual(['b']);
    // Known for PostgreSQL only: SQLite text is its own statement.
    analyzer.analyzeStatement('SELECT * FROM a', 'sqlite');
    expect(parsed).toEqual(['SELECT * FROM b', 'SELECT * FROM a']);
    expect([...analyzer.used()].map(([dialect, analyses]) => [dialect, [...analyses.keys()]])).toEqual([
      ['postgres', ['SELECT * FROM a', 'SELECT * FROM b']],
      ['sqlite', ['SELECT * FROM a']],
    ]);
  });

  it('answer alone without a parser, counting what they lack and answering it by the token fallback', () => {
    const analyzer = createStoredAnalyzer(known());
    expect(analyzer.analyzeStatement('SELECT * FROM a', 'postgres')).toBe(stored);
    expect(analyzer.misses).toBe(0);
    const missing = analyzer.analyzeStatement('DELETE FROM c', 'postgres');
    expect([missing.parser, missing.uncertain, missing.writes]).toEqual(['fallback', true, ['c']]);
    analyzer.analyzeStatement('DELETE FROM c', 'postgres');
    expect(analyzer.misses).toBe(1);
    expect([...analyzer.used().get('postgres')!.keys()]).toEqual(['SELECT * FROM a', 'DELETE FROM c']);
  });
});
