import { describe, expect, it } from 'vitest';
import { splitSqlStatements } from '../../../src/scan/sql/split.js';

const texts = (sql: string): string[] => splitSqlStatements(sql).map((s) => s.text);

describe('splitSqlStatements', () => {
  it.each([
    ['plain statements, last one without ;', 'SELECT 1; SELECT 2', ['SELECT 1', 'SELECT 2']],
    ['semicolon in a string', "INSERT INTO t VALUES ('a;b'); SELECT 1;", ["INSERT INTO t VALUES ('a;b')", 'SELECT 1']],
    ['doubled quote in a string', "SELECT 'it''s; fine'; SELECT 2", ["SELECT 'it''s; fine'", 'SELECT 2']],
    ['E-string with backslash escape', "SELECT E'\\';'; SELECT 2", ["SELECT E'\\';'", 'SELECT 2']],
    ['standard string ends at a backslash-quote', "SELECT 'C:\\'; SELECT 2", ["SELECT 'C:\\'", 'SELECT 2']],
    ['semicolon in a quoted identifier', 'SELECT "a;b" FROM t; SELECT 2', ['SELECT "a;b" FROM t', 'SELECT 2']],
    ['line comment', 'SELECT 1; -- a; b\nSELECT 2;', ['SELECT 1', 'SELECT 2']],
    ['block comment, nested', 'SELECT 1 /* a; /* b; */ c; */ + 1; SELECT 2', ['SELECT 1 /* a; /* b; */ c; */ + 1', 'SELECT 2']],
    ['comment-only chunks are dropped', '-- header\n/* note */ ; ;\n-- trailer', []],
    [
      'dollar-quoted function body',
      'CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN NEW.a := 1; RETURN NEW; END; $$ LANGUAGE plpgsql; SELECT 1',
      ['CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN NEW.a := 1; RETURN NEW; END; $$ LANGUAGE plpgsql', 'SELECT 1'],
    ],
    ['tagged dollar quote containing $$', 'DO $body$ BEGIN PERFORM $$;$$; END $body$; SELECT 2', ['DO $body$ BEGIN PERFORM $$;$$; END $body$', 'SELECT 2']],
    ['$1 is a parameter, not a dollar quote', 'SELECT $1; SELECT $2', ['SELECT $1', 'SELECT $2']],
    ['parentheses keep semicolons (CREATE RULE)', 'CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)); SELECT 1', ['CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))', 'SELECT 1']],
    [
      'BEGIN ATOMIC body with CASE',
      'CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN x > 0 THEN 1 END; SELECT 2; END; SELECT 3',
      ['CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN x > 0 THEN 1 END; SELECT 2; END', 'SELECT 3'],
    ],
    ['transaction BEGIN is not atomic', 'BEGIN; SELECT 1; COMMIT;', ['BEGIN', 'SELECT 1', 'COMMIT']],
    ['unterminated string runs to the end', "SELECT 'open; SELECT 2", ["SELECT 'open; SELECT 2"]],
    ['Unicode whitespace is whitespace (BOM, no-break space)', '\ufeffSELECT 1\u00a0;\u2028SELECT 2\u3000', ['SELECT 1', 'SELECT 2']],
    ['lower-case begin atomic, nested BEGIN .. END', 'create function f() returns int language sql begin atomic select 1; begin select 2; end; end; select 3', ['create function f() returns int language sql begin atomic select 1; begin select 2; end; end', 'select 3']],
    ['BEGIN and END inside longer words are not keywords', 'CREATE FUNCTION f() BEGIN ATOMIC SELECT xbegin, end_at, case_no, $end; END; SELECT 2', ['CREATE FUNCTION f() BEGIN ATOMIC SELECT xbegin, end_at, case_no, $end; END', 'SELECT 2']],
    ['keywords are words after Unicode case mapping (\u0131 is i, \u017f is s)', 'F() BEG\u0131N ATOMIC SELECT CA\u017fE WHEN 1 THEN 1 END; END; SELECT 2', ['F() BEG\u0131N ATOMIC SELECT CA\u017fE WHEN 1 THEN 1 END; END', 'SELECT 2']],
    ['non-ASCII letters continue a word', 'BEGIN ATOMIC SELECT \u00e9end; END; SELECT 2', ['BEGIN ATOMIC SELECT \u00e9end; END', 'SELECT 2']],
    ['a dollar quote needs a word boundary before it', 'SELECT a$b$; SELECT $b$;$b$', ['SELECT a$b$', 'SELECT $b$;$b$']],
    ['E-string only after a non-word character', "SELECT xe'\\'; SELECT 2", ["SELECT xe'\\'", 'SELECT 2']],
  ])('%s', (_name, sql, expected) => {
    expect(texts(sql)).toEqual(expected);
  });

  it('gives the offset of each statement\'s first token, after leading comments', () => {
    const sql = '-- migration 001\n\nCREATE TABLE a (id int);\n  /* b */ INSERT INTO a VALUES (1);';
    const statements = splitSqlStatements(sql);
    expect(statements.map((s) => s.offset)).toEqual([sql.indexOf('CREATE'), sql.indexOf('INSERT')]);
    for (const s of statements) expect(sql.slice(s.offset, s.offset + s.text.length)).toBe(s.text);
  });

  it('keeps a cornucopia annotation out of the statement text but keeps the query', () => {
    const sql = '--! get_user\nSELECT * FROM users WHERE id = :id;\n\n--! delete_user\nDELETE FROM users WHERE id = :id;';
    expect(texts(sql)).toEqual(['SELECT * FROM users WHERE id = :id', 'DELETE FROM users WHERE id = :id']);
  });
});
