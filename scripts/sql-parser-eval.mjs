#!/usr/bin/env node
// Measures libpg-query against pgsql-ast-parser on real SQL, for docs/decisions/0012-sql-parser.md.
//
//   node scripts/sql-parser-eval.mjs [--devset DIR] [--passes N] [--json]
//
// Corpus (read at measurement time, never copied into the repository): every statement of the
// `.sql` files, of SQL string literals in `.rs` files (literals that start with a statement
// keyword) and of `.sqlx/query-*.json` files under fixtures/, the dev set (appflowy, hog-rs) and
// the generated benchmark tree .bench/target (generated when missing). Reports parse rate per
// parser and source, table agreement on the full corpus and on the hand-checked sample
// fixtures/scan/sql/statements.json, speed (median µs per statement after warm-up, cold load),
// and which ClickHouse constructs each parser accepts.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const devset = option('--devset', '/work/devset');
const passes = Number(option('--passes', '5'));

// Our TypeScript sources, bundled once so this script measures the code the linter runs. The
// bundle sits under node_modules/.cache so that its external imports resolve.
const cacheDir = path.join(root, 'node_modules/.cache/sql-parser-eval');
mkdirSync(cacheDir, { recursive: true });
const bundle = path.join(cacheDir, 'bundle.mjs');
await build({
  stdin: {
    contents: [
      "export { createStatementAnalyzer, translatePlaceholders } from './src/scan/sql/analyze.ts';",
      "export { splitSqlStatements } from './src/scan/sql/split.ts';",
      "export { extractTablesByTokens } from './src/scan/sql/fallback.ts';",
      "export { lexRust } from './src/scan/rust/lexer.ts';",
      "export { decodeStringLiteral } from './src/scan/rust/strings.ts';",
      "export { isStringKind } from './src/scan/rust/tokens.ts';",
    ].join('\n'),
    resolveDir: root,
    loader: 'ts',
  },
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['libpg-query', 'pgsql-ast-parser'],
  logLevel: 'warning',
});
const ours = await import(pathToFileURL(bundle).href);
const pg = await import('libpg-query');
await pg.loadModule();
const astParser = await import('pgsql-ast-parser');

// ---------------------------------------------------------------------------------------------
// Corpus

const STATEMENT_START = /^(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|ALTER|DROP|TRUNCATE|MERGE)\b/i;
const SKIP_DIRS = new Set(['.git', 'node_modules', 'target', 'dist']);

function* walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) yield* walk(full);
    } else if (entry.isFile()) yield full;
  }
}

function statementsOf(file) {
  const text = readFileSync(file, 'utf8');
  const out = [];
  if (file.endsWith('.sql')) {
    for (const s of ours.splitSqlStatements(text)) out.push({ sql: s.text, origin: 'sql-file' });
  } else if (file.endsWith('.rs')) {
    const tokens = ours.lexRust(text);
    for (let i = 0; i < tokens.count; i++) {
      if (!ours.isStringKind(tokens.kind(i))) continue;
      const value = ours.decodeStringLiteral(tokens, i)?.trim();
      if (value === undefined || !STATEMENT_START.test(value)) continue;
      for (const s of ours.splitSqlStatements(value)) out.push({ sql: s.text, origin: 'rust-literal' });
    }
  } else if (/\.sqlx\/query-[^/]*\.json$/.test(file)) {
    try {
      const query = JSON.parse(text).query;
      if (typeof query === 'string') out.push({ sql: query.trim(), origin: 'sqlx-json' });
    } catch {
      // not offline metadata
    }
  }
  return out;
}

const benchTree = path.join(root, '.bench/target');
if (!existsSync(benchTree)) spawnSync(process.execPath, [path.join(root, 'scripts/bench/generate.mjs'), '--scale', 'target'], { cwd: root, stdio: 'inherit' });

const sources = [
  ['fixtures', path.join(root, 'fixtures')],
  ['appflowy', path.join(devset, 'appflowy')],
  ['hog-rs', path.join(devset, 'hog-rs')],
  ['bench', benchTree],
];
const corpus = [];
for (const [source, dir] of sources) {
  const seen = new Set();
  let total = 0;
  const statements = [];
  for (const file of walk(dir)) {
    for (const s of statementsOf(file)) {
      total++;
      if (seen.has(s.sql)) continue;
      seen.add(s.sql);
      statements.push({ ...s, file: path.relative(dir, file) });
    }
  }
  corpus.push({ source, total, statements });
}

// ---------------------------------------------------------------------------------------------
// Parsing and table extraction with each parser

const prepare = (sql) => ours.translatePlaceholders(sql, 'postgres').text;

function parseWithLibpg(sql) {
  try {
    pg.parseSync(sql);
    return { ok: true };
  } catch (e) {
    return { ok: false, message: e.message };
  }
}

function parseWithAstParser(sql) {
  try {
    astParser.parse(sql);
    return { ok: true };
  } catch (e) {
    return { ok: false, message: String(e.message).split('\n')[0] };
  }
}

const tableName = (n) => (n.schema === undefined || n.schema === 'public' ? n.name : `${n.schema}.${n.name}`);

/** The same read/write/ddl rules, over pgsql-ast-parser's tree (only used for this comparison). */
function tablesFromAstParser(sql) {
  const statements = astParser.parse(sql);
  const reads = new Set();
  const writes = new Set();
  const ddl = new Set();
  const ctes = [];
  const add = (set, n) => {
    if (!n || typeof n.name !== 'string') return;
    if (n.schema === undefined && ctes.some((scope) => scope.has(n.name))) return;
    set.add(tableName(n));
  };
  const walk = (node) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    switch (node.type) {
      case 'table':
        if (node.name && typeof node.name === 'object') add(reads, node.name);
        return;
      case 'with':
      case 'with recursive': {
        ctes.push(new Set((node.bind ?? []).map((b) => b.alias?.name)));
        for (const [key, value] of Object.entries(node)) if (key !== 'type') walk(value);
        ctes.pop();
        return;
      }
      case 'insert':
        add(writes, node.into);
        break;
      case 'update':
        add(writes, node.table);
        break;
      case 'delete':
        add(writes, node.from);
        break;
      case 'truncate table':
        for (const t of node.tables ?? []) add(writes, t);
        return;
      case 'create table':
        add(ddl, node.name);
        return;
      case 'create index':
        add(ddl, node.table);
        return;
      case 'create view':
      case 'create materialized view':
        add(ddl, node.name);
        walk(node.query);
        return;
      case 'alter table':
        add(ddl, node.table);
        return;
      case 'drop table':
      case 'drop view':
      case 'drop materialized view':
        for (const t of node.names ?? []) add(ddl, t);
        return;
      case 'grant':
      case 'comment':
      case 'create function':
      case 'do':
        return;
    }
    for (const [key, value] of Object.entries(node)) {
      if (node.type === 'insert' && key === 'into') continue;
      if (node.type === 'update' && key === 'table') continue;
      if (node.type === 'delete' && key === 'from') continue;
      walk(value);
    }
  };
  walk(statements);
  const sorted = (s) => [...s].sort();
  return { reads: sorted(reads), writes: sorted(writes), ddl: sorted(ddl) };
}

const sameTables = (a, b) => JSON.stringify([a.reads, a.writes, a.ddl]) === JSON.stringify([b.reads, b.writes, b.ddl]);
const pct = (n, d) => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor(s.length / 2)];
};

// ---------------------------------------------------------------------------------------------
// 1. Parse rate per parser per source

console.log('## Parse rate (unique statements; the same text counted once per source)\n');
console.log('| source | statements (unique / total) | libpg-query | pgsql-ast-parser | both | neither | format!-style `{}` templates |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
const failures = { libpg: new Map(), ast: new Map() };
const everyStatement = [];
for (const { source, total, statements } of corpus) {
  let libOk = 0;
  let astOk = 0;
  let both = 0;
  let neither = 0;
  let templates = 0;
  for (const s of statements) {
    const text = prepare(s.sql);
    const a = parseWithLibpg(text);
    const b = parseWithAstParser(text);
    s.libpg = a;
    s.ast = b;
    if (a.ok) libOk++;
    if (b.ok) astOk++;
    if (a.ok && b.ok) both++;
    if (!a.ok && !b.ok) neither++;
    if (/\{[A-Za-z0-9_]*\}/.test(s.sql)) templates++;
    if (!a.ok) failures.libpg.set(`${source}: ${a.message}`, (failures.libpg.get(`${source}: ${a.message}`) ?? 0) + 1);
    if (!b.ok) {
      const key = `${source}: ${b.message.replace(/line \d+ col \d+/, 'line L col C')}`;
      failures.ast.set(key, (failures.ast.get(key) ?? 0) + 1);
    }
    everyStatement.push({ source, ...s });
  }
  const n = statements.length;
  console.log(`| ${source} | ${n} / ${total} | ${libOk} (${pct(libOk, n)}) | ${astOk} (${pct(astOk, n)}) | ${both} | ${neither} | ${templates} |`);
}
// What the rejected "statements" are: the corpus extraction is rough (any literal starting with a
// statement keyword), so log messages and format!/QueryBuilder fragments are in it too.
const rejectionClass = (sql) => (/^\w+$/.test(sql) ? 'a bare keyword (HTTP method, enum name)' : /\{[^}]*\}/.test(sql) ? 'contains a format!-style {} hole' : 'other text');
for (const [parser, key] of [['libpg-query', 'libpg'], ['pgsql-ast-parser', 'ast']]) {
  const classes = new Map();
  for (const s of everyStatement) if (!s[key].ok) classes.set(rejectionClass(s.sql), (classes.get(rejectionClass(s.sql)) ?? 0) + 1);
  console.log(`\n${parser} rejections by shape: ${[...classes.entries()].map(([c, n]) => `${n} ${c}`).join('; ')}`);
}
const top = (map, k) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, k);
console.log('\nlibpg-query rejections (most frequent):');
for (const [m, c] of top(failures.libpg, 12)) console.log(`  ${c}x ${m}`);
console.log('pgsql-ast-parser rejections (most frequent):');
for (const [m, c] of top(failures.ast, 12)) console.log(`  ${c}x ${m}`);

// Statements only one parser accepts, for the decision record's examples.
const onlyLib = everyStatement.filter((s) => s.libpg.ok && !s.ast.ok);
const onlyAst = everyStatement.filter((s) => !s.libpg.ok && s.ast.ok);
console.log(`\naccepted only by libpg-query: ${onlyLib.length}; only by pgsql-ast-parser: ${onlyAst.length}`);
for (const s of onlyAst.slice(0, 10)) console.log(`  only pgsql-ast-parser [${s.source} ${s.file}]: ${s.sql.replace(/\s+/g, ' ').slice(0, 140)}`);

// ---------------------------------------------------------------------------------------------
// 2. Table agreement: full corpus (both parse) and the hand-checked sample

const analyzer = ours.createStatementAnalyzer({ parse: pg.parseSync, parsePlPgSQL: pg.parsePlPgSQLSync });
let compared = 0;
let agree = 0;
const disagreements = [];
for (const s of everyStatement) {
  if (!s.libpg.ok || !s.ast.ok) continue;
  compared++;
  const a = analyzer.analyzeStatement(s.sql, 'postgres');
  let b;
  try {
    b = tablesFromAstParser(prepare(s.sql));
  } catch {
    continue;
  }
  if (sameTables(a, b)) agree++;
  else disagreements.push({ s, a, b });
}
console.log(`\n## Table agreement on the corpus\n\nstatements both parse: ${compared}; same reads/writes/ddl: ${agree} (${pct(agree, compared)})`);
for (const { s, a, b } of disagreements.slice(0, 12)) {
  console.log(`  [${s.source}] ${s.sql.replace(/\s+/g, ' ').slice(0, 110)}`);
  console.log(`     libpg-query: r=${a.reads} w=${a.writes} d=${a.ddl} | pgsql-ast-parser: r=${b.reads} w=${b.writes} d=${b.ddl}`);
}

const sample = JSON.parse(readFileSync(path.join(root, 'fixtures/scan/sql/statements.json'), 'utf8')).statements;
const pgSample = sample.filter((c) => c.dialect === 'postgres');
const score = { libpg: 0, libpgParsed: 0, ast: 0, astParsed: 0, fallback: 0 };
const astMisses = [];
for (const c of pgSample) {
  const a = analyzer.analyzeStatement(c.sql, c.dialect);
  if (a.parser === 'libpg-query') score.libpgParsed++;
  if (sameTables(a, c)) score.libpg++;
  let b;
  try {
    b = { ...tablesFromAstParser(prepare(c.sql)), parsed: true };
    score.astParsed++;
  } catch {
    b = { reads: [], writes: [], ddl: [] };
  }
  if (b.parsed && sameTables(b, c)) score.ast++;
  else astMisses.push(c.name);
  if (sameTables(ours.extractTablesByTokens(c.sql, c.dialect), c)) score.fallback++;
}
console.log(`\n## Hand-checked sample (${pgSample.length} PostgreSQL statements of ${sample.length})\n`);
console.log(`libpg-query + our extraction (fallback where rejected): parsed ${score.libpgParsed}, tables exactly right ${score.libpg}`);
console.log(`pgsql-ast-parser + same rules: parsed ${score.astParsed}, parsed with tables exactly right ${score.ast}`);
console.log(`  wrong or rejected: ${astMisses.join('; ')}`);
console.log(`token fallback alone: tables exactly right ${score.fallback}`);

// ---------------------------------------------------------------------------------------------
// 3. Speed: median µs per statement after a warm-up pass, on statements both parsers accept

const speedSet = everyStatement.filter((s) => s.libpg.ok && s.ast.ok).map((s) => prepare(s.sql));
function timeEach(fn) {
  for (const sql of speedSet) fn(sql);
  const samples = [];
  const totals = [];
  for (let p = 0; p < passes; p++) {
    const start = performance.now();
    for (const sql of speedSet) {
      const t0 = performance.now();
      fn(sql);
      samples.push(performance.now() - t0);
    }
    totals.push(performance.now() - start);
  }
  return { medianUs: median(samples) * 1000, passMs: median(totals) };
}
const libSpeed = timeEach((sql) => pg.parseSync(sql));
const astSpeed = timeEach((sql) => astParser.parse(sql));
const fullSpeed = timeEach((sql) => ours.createStatementAnalyzer({ parse: pg.parseSync, parsePlPgSQL: pg.parsePlPgSQLSync }).analyzeStatement(sql, 'postgres'));
const fallbackSpeed = timeEach((sql) => ours.extractTablesByTokens(sql, 'postgres'));
const cached = ours.createStatementAnalyzer({ parse: pg.parseSync, parsePlPgSQL: pg.parsePlPgSQLSync });
const cachedSpeed = timeEach((sql) => cached.analyzeStatement(sql, 'postgres'));
console.log(`\n## Speed (${speedSet.length} statements both accept, ${passes} passes after one warm-up pass)\n`);
console.log('| what | median per statement | one pass over the set |');
console.log('| --- | --- | --- |');
for (const [name, s] of [
  ['libpg-query parseSync', libSpeed],
  ['pgsql-ast-parser parse', astSpeed],
  ['analyzeStatement (libpg-query + extraction, no cache)', fullSpeed],
  ['analyzeStatement, cached', cachedSpeed],
  ['token fallback', fallbackSpeed],
]) {
  console.log(`| ${name} | ${s.medianUs.toFixed(1)} µs | ${s.passMs.toFixed(1)} ms |`);
}

function coldRun(code) {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
    times.push(Number(r.stdout.trim()));
  }
  return median(times);
}
const coldLib = coldRun("const t=performance.now();const m=await import('libpg-query');await m.loadModule();m.parseSync('SELECT 1 FROM t');console.log(performance.now()-t)");
const coldAst = coldRun("const t=performance.now();const m=await import('pgsql-ast-parser');m.parse('SELECT 1 FROM t');console.log(performance.now()-t)");
console.log(`\ncold: import + load + first parse, median of 5 fresh processes: libpg-query ${coldLib.toFixed(1)} ms, pgsql-ast-parser ${coldAst.toFixed(1)} ms`);

// ---------------------------------------------------------------------------------------------
// 4. ClickHouse constructs

const clickhouse = [
  ['INTERVAL 90 DAY', 'SELECT count() FROM events WHERE timestamp > now() - INTERVAL 90 DAY'],
  ["INTERVAL '90 days' (PostgreSQL form)", "SELECT count(*) FROM events WHERE timestamp > now() - INTERVAL '90 days'"],
  ['LIMIT n BY', 'SELECT person_id, event FROM events ORDER BY timestamp DESC LIMIT 1 BY person_id'],
  ['FORMAT JSONEachRow', 'INSERT INTO events FORMAT JSONEachRow'],
  ['SELECT ... FORMAT', 'SELECT * FROM events FORMAT JSONEachRow'],
  ['ENGINE = MergeTree', 'CREATE TABLE events (ts DateTime, team_id UInt64) ENGINE = MergeTree ORDER BY (team_id, ts)'],
  ['EXCHANGE TABLES a AND b', 'EXCHANGE TABLES person_new AND person'],
  ['FINAL', 'SELECT * FROM person FINAL WHERE team_id = 1'],
  ['ARRAY JOIN', 'SELECT id, tag FROM posts ARRAY JOIN tags AS tag'],
  ['{param:Type}', 'SELECT * FROM events WHERE team_id = {team_id:UInt64}'],
];
console.log('\n## ClickHouse constructs\n\n| construct | libpg-query | pgsql-ast-parser | fallback tables |\n| --- | --- | --- | --- |');
for (const [name, sql] of clickhouse) {
  const a = parseWithLibpg(sql).ok ? 'accepts' : 'rejects';
  const b = parseWithAstParser(sql).ok ? 'accepts' : 'rejects';
  const f = ours.extractTablesByTokens(sql, 'clickhouse');
  const tables = [...f.reads.map((t) => `r:${t}`), ...f.writes.map((t) => `w:${t}`), ...f.ddl.map((t) => `ddl:${t}`)].join(' ');
  console.log(`| \`${name}\` | ${a} | ${b} | ${tables} |`);
}

if (args.includes('--list-rejections')) {
  console.log('\n## Statements libpg-query rejects\n');
  for (const s of everyStatement.filter((s) => !s.libpg.ok)) console.log(`[${s.source} ${s.file}] ${s.libpg.message} :: ${s.sql.replace(/\s+/g, ' ').slice(0, 160)}`);
}
if (args.includes('--list-only-libpg')) {
  console.log('\n## Statements only libpg-query accepts\n');
  for (const s of onlyLib) console.log(`[${s.source} ${s.file}] ${s.ast.message} :: ${s.sql.replace(/\s+/g, ' ').slice(0, 200)}`);
}
