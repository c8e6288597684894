import { skipSqlLiteral } from './split.js';

export type SqlDialect = 'postgres' | 'clickhouse' | 'sqlite' | 'mysql';

/** What a statement does, named after its leading keywords (the main statement after a WITH). */
export type StatementKind =
  | 'select'
  | 'insert'
  | 'update'
  | 'delete'
  | 'merge'
  | 'truncate'
  | 'copy'
  | 'create-table'
  | 'create-view'
  | 'create-index'
  | 'create-function'
  | 'create-trigger'
  | 'create-other'
  | 'alter-table'
  | 'alter-other'
  | 'drop'
  | 'empty'
  | 'other';

/** Tables a statement touches; names normalised by `tableName`, each list sorted and without duplicates. */
export interface TableExtraction {
  kind: StatementKind;
  reads: string[];
  writes: string[];
  ddl: string[];
}

/** `public.x` is `x`; other schemas (or ClickHouse/MySQL databases) stay qualified; a catalog prefix is dropped. */
export function tableName(parts: readonly string[]): string {
  const name = parts[parts.length - 1]!;
  const schema = parts[parts.length - 2];
  return schema === undefined || schema === 'public' ? name : `${schema}.${name}`;
}

/** Identifiers fold to lower case in PostgreSQL and SQLite; ClickHouse and MySQL (on Linux) keep table-name case. */
export function foldsCase(dialect: SqlDialect): boolean {
  return dialect === 'postgres' || dialect === 'sqlite';
}

const enum T {
  Word,
  Quoted,
  Punct,
  Other,
}

interface Token {
  type: T;
  /** Upper-cased text for words, the punctuation itself, '' otherwise. */
  upper: string;
  /** The identifier this token names (folded or unquoted), for words and quoted identifiers. */
  ident: string;
}

/** Words that end a table reference or a FROM list; never an alias or a table. */
const CLAUSE_WORDS = new Set([
  'ALL', 'AND', 'ANTI', 'ANY', 'ARRAY', 'AS', 'ASOF', 'BY', 'CROSS', 'DELETE', 'DO', 'ELSE', 'END',
  'EXCEPT', 'FETCH', 'FINAL', 'FOR', 'FORMAT', 'FROM', 'FULL', 'GLOBAL', 'GROUP', 'HAVING', 'INNER', 'INTERSECT',
  'INTO', 'JOIN', 'LATERAL', 'LEFT', 'LIMIT', 'NATURAL', 'NOT', 'OFFSET', 'ON', 'ONLY', 'OR', 'ORDER', 'OUTER',
  'PREWHERE', 'RETURNING', 'RIGHT', 'SAMPLE', 'SELECT', 'SEMI', 'SET', 'SETTINGS', 'TABLESAMPLE', 'THEN', 'UNION',
  'UPDATE', 'USING', 'VALUES', 'WHEN', 'WHERE', 'WINDOW', 'WITH',
]);

/** Functions whose argument syntax uses FROM for something that is not a table. */
const FROM_FUNCTIONS = new Set(['EXTRACT', 'SUBSTRING', 'SUBSTR', 'TRIM', 'OVERLAY', 'POSITION', 'NORMALIZE']);

function tokenize(sql: string, dialect: SqlDialect): Token[] {
  const tokens: Token[] = [];
  const fold = foldsCase(dialect);
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const skipped = skipSqlLiteral(sql, i);
    if (skipped > i) {
      // MySQL and ClickHouse quote identifiers with backticks; MySQL's "..." is a string by default.
      const quotedIdent = ch === '`' || (ch === '"' && dialect !== 'mysql');
      if (quotedIdent) {
        const inner = sql.slice(i + 1, skipped - 1).split(ch + ch).join(ch);
        tokens.push({ type: T.Quoted, upper: '', ident: inner });
      } else if (ch !== '-' && ch !== '/') {
        tokens.push({ type: T.Other, upper: '', ident: '' });
      }
      i = skipped;
      continue;
    }
    if (/[A-Za-z_\u0080-\uffff]/.test(ch)) {
      let j = i + 1;
      while (j < sql.length && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[j]!)) j++;
      // E'...', B'...', X'...', N'...' prefixes belong to the string that follows.
      if (sql[j] === "'" && j - i === 1) {
        i = j;
        continue;
      }
      const text = sql.slice(i, j);
      tokens.push({ type: T.Word, upper: text.toUpperCase(), ident: fold ? text.toLowerCase() : text });
      i = j;
      continue;
    }
    if (/[0-9]/.test(ch) || ((ch === '$' || ch === '?' || ch === ':' || ch === '@') && /[A-Za-z0-9_]/.test(sql[i + 1] ?? '') && sql[i - 1] !== ':')) {
      // Numbers and placeholders ($1, ?1, :name, @name) are values.
      let j = i + 1;
      while (j < sql.length && /[A-Za-z0-9_.]/.test(sql[j]!)) j++;
      tokens.push({ type: T.Other, upper: '', ident: '' });
      i = j;
      continue;
    }
    if (ch === ':' && sql[i + 1] === ':') {
      tokens.push({ type: T.Punct, upper: '::', ident: '' });
      i += 2;
      continue;
    }
    tokens.push({ type: T.Punct, upper: ch, ident: '' });
    i++;
  }
  return tokens;
}

function isName(token: Token | undefined): boolean {
  return token !== undefined && (token.type === T.Quoted || (token.type === T.Word && !CLAUSE_WORDS.has(token.upper)));
}

/**
 * Conservative, token-based table extraction for statements no parser accepted: keyword patterns
 * (INSERT INTO x, UPDATE x, DELETE FROM x, FROM/JOIN lists, CREATE/ALTER/DROP TABLE x, ...) over a
 * token stream without comments and strings. It may miss or over-report in unusual syntax, which
 * is why its results are always marked uncertain by the caller.
 */
export function extractTablesByTokens(sql: string, dialect: SqlDialect): TableExtraction {
  const tokens = tokenize(sql, dialect);
  const n = tokens.length;
  const matching = new Int32Array(n).fill(-1);
  const openerWord: string[] = new Array<string>(n).fill('');
  const stack: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    if (t.upper === '(') {
      stack.push(i);
      const prev = tokens[i - 1];
      openerWord[i] = prev?.type === T.Word ? prev.upper : '';
    } else if (t.upper === ')' && stack.length > 0) {
      const open = stack.pop()!;
      matching[open] = i;
      matching[i] = open;
    } else if (t.upper === ';' && stack.length === 0) {
      break;
    }
  }
  const word = (i: number): string => (tokens[i]?.type === T.Word ? tokens[i]!.upper : '');

  const reads = new Set<string>();
  const writes = new Set<string>();
  const ddl = new Set<string>();
  const cteNames = new Set<string>();
  const consumed = new Set<number>();

  /** Reads a dotted name at `i`; returns the index after it, or `i` when there is none. */
  const readName = (i: number): { parts: string[]; next: number } => {
    const parts: string[] = [];
    let j = i;
    if (!isName(tokens[j])) return { parts, next: i };
    parts.push(tokens[j]!.ident);
    j++;
    while (tokens[j]?.upper === '.' && (tokens[j + 1]?.type === T.Word || tokens[j + 1]?.type === T.Quoted)) {
      parts.push(tokens[j + 1]!.ident);
      j += 2;
    }
    return { parts, next: j };
  };
  const skipWords = (i: number, ...words: string[]): number => {
    while (words.includes(word(i))) i++;
    return i;
  };
  const skipIfExists = (i: number): number => {
    if (word(i) === 'IF' && word(i + 1) === 'NOT' && word(i + 2) === 'EXISTS') return i + 3;
    if (word(i) === 'IF' && word(i + 1) === 'EXISTS') return i + 2;
    return i;
  };
  /** A name list `a, b, c` at `i` into `into`; returns the index after it. */
  const readNameList = (i: number, into: Set<string>): number => {
    for (;;) {
      i = skipWords(i, 'ONLY');
      const { parts, next } = readName(i);
      if (parts.length === 0) return i;
      into.add(tableName(parts));
      i = tokens[next]?.upper === '*' ? next + 1 : next;
      if (tokens[i]?.upper !== ',') return i;
      i++;
    }
  };
  /**
   * A table reference at `i`, added to `into`; returns the index after the name. Where a column
   * list may follow (`INSERT INTO t (a)`, `ON t (a)`), `columns` is true; elsewhere `name(` is a
   * function call, not a table.
   */
  const readTable = (i: number, into: Set<string>, columns = false): number => {
    const { parts, next } = readName(i);
    if (parts.length === 0 || (!columns && tokens[next]?.upper === '(')) return i;
    into.add(tableName(parts));
    return next;
  };

  // CTE names: WITH [RECURSIVE] name [(cols)] AS [[NOT] MATERIALIZED] (...) [, ...]
  let mainStatement = 0;
  for (let i = 0; i < n; i++) {
    if (word(i) !== 'WITH') continue;
    let j = skipWords(i + 1, 'RECURSIVE');
    let found = false;
    while (isName(tokens[j])) {
      const name = tokens[j]!.ident;
      j++;
      if (tokens[j]?.upper === '(' && matching[j]! > 0) j = matching[j]! + 1;
      if (word(j) !== 'AS') break;
      j = skipWords(j + 1, 'NOT', 'MATERIALIZED');
      if (tokens[j]?.upper !== '(' || matching[j]! < 0) break;
      cteNames.add(name);
      found = true;
      j = matching[j]! + 1;
      if (tokens[j]?.upper !== ',') break;
      j++;
    }
    if (i === 0 && found) mainStatement = j;
  }

  const kind = statementKind(tokens, mainStatement, word);
  // REVOKE ... FROM role, SHOW ... FROM: the FROM names no table.
  const fromNamesTables = !['REVOKE', 'GRANT', 'SHOW', 'COPY'].includes(word(0));

  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    if (t.type !== T.Word) continue;
    const prev = word(i - 1);
    switch (t.upper) {
      case 'INSERT':
      case 'REPLACE': {
        if (t.upper === 'REPLACE' && (i !== mainStatement || word(i + 1) !== 'INTO')) break;
        let j = skipWords(i + 1, 'OR', 'REPLACE', 'IGNORE', 'ROLLBACK', 'ABORT', 'FAIL', 'LOW_PRIORITY', 'DELAYED', 'HIGH_PRIORITY');
        if (word(j) === 'INTO') j++;
        if (word(j) === 'TABLE') j++;
        if (word(j) === 'FUNCTION') break;
        readTable(j, writes, true);
        break;
      }
      case 'UPDATE': {
        if (['DO', 'FOR', 'ON', 'THEN', 'KEY', 'NO'].includes(prev) || consumed.has(i)) break;
        const j = skipWords(i + 1, 'ONLY', 'LOW_PRIORITY', 'IGNORE');
        if (word(j) !== 'SET') readTable(j, writes);
        break;
      }
      case 'DELETE': {
        if (consumed.has(i) || ['ON', 'THEN'].includes(prev) || word(i + 1) !== 'FROM') break;
        consumed.add(i + 1);
        readTable(skipWords(i + 2, 'ONLY'), writes);
        break;
      }
      case 'TRUNCATE':
        readNameList(skipWords(i + 1, 'TABLE'), writes);
        break;
      case 'MERGE':
        if (word(i + 1) === 'INTO') readTable(skipWords(i + 2, 'ONLY'), writes);
        break;
      case 'COPY': {
        if (i !== mainStatement) break;
        const { parts, next } = readName(i + 1);
        if (parts.length === 0) break;
        for (let j = next; j < n; j++) {
          if (word(j) === 'FROM') {
            writes.add(tableName(parts));
            consumed.add(j);
            break;
          }
          if (word(j) === 'TO') {
            reads.add(tableName(parts));
            break;
          }
        }
        break;
      }
      case 'USING':
        if ((kind === 'delete' || kind === 'merge') && tokens[i + 1]?.upper !== '(') readTable(skipWords(i + 1, 'ONLY'), reads);
        break;
      case 'JOIN':
        if (prev !== 'ARRAY') readTable(skipWords(i + 1, 'LATERAL', 'ONLY'), reads);
        break;
      case 'FROM': {
        if (consumed.has(i) || prev === 'DISTINCT' || !fromNamesTables) break;
        let open = -1;
        for (let depth = 0, j = i - 1; j >= 0; j--) {
          if (tokens[j]!.upper === ')') depth++;
          else if (tokens[j]!.upper === '(') {
            if (depth === 0) {
              open = j;
              break;
            }
            depth--;
          }
        }
        if (open >= 0 && FROM_FUNCTIONS.has(openerWord[open]!)) break;
        let j = i + 1;
        for (;;) {
          j = skipWords(j, 'ONLY', 'LATERAL');
          const after = readTable(j, reads);
          if (after === j) break;
          j = after;
          if (word(j) === 'AS') j++;
          if (isName(tokens[j])) j++;
          if (tokens[j]?.upper === '(' && matching[j]! > 0) j = matching[j]! + 1;
          if (tokens[j]?.upper !== ',') break;
          j++;
        }
        break;
      }
      case 'CREATE': {
        let j = skipWords(i + 1, 'OR', 'REPLACE', 'GLOBAL', 'LOCAL', 'TEMP', 'TEMPORARY', 'UNLOGGED', 'MATERIALIZED', 'RECURSIVE', 'UNIQUE');
        const what = word(j);
        if (what === 'TABLE' || what === 'VIEW') {
          readTable(skipIfExists(j + 1), ddl, true);
        } else if (what === 'INDEX' || what === 'TRIGGER' || what === 'POLICY') {
          // The table follows the first top-level ON.
          for (j++; j < n && word(j) !== 'ON'; j++) if (tokens[j]!.upper === '(') break;
          if (word(j) === 'ON') readTable(skipWords(j + 1, 'ONLY', 'TABLE'), ddl, true);
        }
        break;
      }
      case 'ALTER': {
        if (word(i + 1) !== 'TABLE') break;
        const j = skipWords(skipIfExists(i + 2), 'ONLY');
        const { parts, next } = readName(j);
        if (parts.length === 0) break;
        let k = next;
        if (word(k) === 'ON' && word(k + 1) === 'CLUSTER') k += 3;
        // ClickHouse mutations: ALTER TABLE t UPDATE ... / DELETE WHERE ... change rows.
        if (word(k) === 'UPDATE' || word(k) === 'DELETE') {
          writes.add(tableName(parts));
          consumed.add(k);
        } else {
          ddl.add(tableName(parts));
        }
        break;
      }
      case 'DROP':
        if (i === mainStatement) {
          const j = skipWords(i + 1, 'MATERIALIZED', 'TEMPORARY', 'FOREIGN');
          if (word(j) === 'TABLE' || word(j) === 'VIEW') readNameList(skipIfExists(j + 1), ddl);
        }
        break;
      case 'EXCHANGE':
        if (word(i + 1) === 'TABLES') {
          const j = readTable(i + 2, ddl);
          if (word(j) === 'AND') readTable(j + 1, ddl);
        }
        break;
      case 'RENAME':
        if (i === mainStatement && word(i + 1) === 'TABLE') {
          let j = i + 2;
          for (;;) {
            j = readTable(j, ddl);
            if (word(j) !== 'TO') break;
            j = readTable(j + 1, ddl);
            if (tokens[j]?.upper !== ',') break;
            j++;
          }
        }
        break;
    }
  }
  const notCte = (name: string): boolean => name.includes('.') || !cteNames.has(name);
  const sorted = (set: Set<string>): string[] => [...set].filter(notCte).sort();
  return { kind, reads: sorted(reads), writes: sorted(writes), ddl: sorted(ddl) };
}

function statementKind(tokens: Token[], i: number, word: (i: number) => string): StatementKind {
  if (tokens.length === 0) return 'empty';
  switch (word(i)) {
    case 'SELECT':
    case 'VALUES':
    case 'TABLE':
      return 'select';
    case 'INSERT':
    case 'REPLACE':
      return 'insert';
    case 'UPDATE':
      return 'update';
    case 'DELETE':
      return 'delete';
    case 'MERGE':
      return 'merge';
    case 'TRUNCATE':
      return 'truncate';
    case 'COPY':
      return 'copy';
    case 'DROP':
      return 'drop';
    case 'EXCHANGE':
    case 'RENAME':
      return 'alter-table';
    case 'ALTER': {
      if (word(i + 1) !== 'TABLE') return 'alter-other';
      for (let j = i + 2; j < tokens.length; j++) {
        if (word(j) === 'UPDATE') return 'update';
        if (word(j) === 'DELETE') return 'delete';
        if (tokens[j]!.type === T.Punct && tokens[j]!.upper !== '.') break;
        if (j > i + 8) break;
      }
      return 'alter-table';
    }
    case 'CREATE': {
      let j = i + 1;
      while (['OR', 'REPLACE', 'GLOBAL', 'LOCAL', 'TEMP', 'TEMPORARY', 'UNLOGGED', 'MATERIALIZED', 'RECURSIVE', 'UNIQUE'].includes(word(j))) j++;
      switch (word(j)) {
        case 'TABLE':
          return 'create-table';
        case 'VIEW':
          return 'create-view';
        case 'INDEX':
          return 'create-index';
        case 'FUNCTION':
        case 'PROCEDURE':
          return 'create-function';
        case 'TRIGGER':
          return 'create-trigger';
        default:
          return 'create-other';
      }
    }
    default:
      return 'other';
  }
}
