#!/usr/bin/env node
// Deterministic generator of a synthetic TypeScript (pnpm workspace) monorepo for the benchmark
// against dependency-cruiser (docs/benchmarks.md, "TypeScript monorepo vs dependency-cruiser").
//
//   node scripts/bench/generate-ts.mjs [--scale small|target] [--seed N] [--out DIR]
//                                      [--apps N] [--packages N] [--files-per-unit N] [--lines-per-file N]
//
// Same parameters and seed -> byte-identical tree. Shape follows fixtures/repos/ts-workspace (a
// real pnpm workspace): apps/* services with `start` scripts, packages/* libraries with barrel
// `src/index.ts` files, a root tsconfig.base.json whose `paths` map every `@acme/<name>` (and its
// subpaths) to sources, `workspace:` dependencies, relative imports inside a unit (also `../`),
// cross-unit imports by package name and by subpath, `import type`, `export * from` /
// `export { x } from` / `export type { T } from`, a few dynamic `import('x')`, test files
// (`*.test.ts`, `test/`), externals (`zod`, `node:*`, ...).
// The unit graph is a DAG plus deliberate value-import cycles (listed in the stamp) and one
// type-only back edge that neither tool may count as a cycle. The tree also holds both tools'
// configs: `boundary.units.json` (no-cycles between units) and `.dependency-cruiser.json`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatorHash, parseGeneratorArgs, readStamp, Rng, scaleParams, STAMP_FILE, writeTree } from './common.mjs';

export { readStamp, STAMP_FILE };

/** Bump whenever the output for a given seed and parameters changes. */
export const GENERATOR_VERSION = 1;
/** Hash of this file and common.mjs: any edit to the generator invalidates trees made by an older copy. */
export const GENERATOR_HASH = generatorHash(import.meta.url);

export const SCALES = {
  // ~90 files: a quick check (and the vitest determinism test).
  small: { apps: 3, packages: 6, filesPerUnit: 9, linesPerFile: 60, seed: 1 },
  // The Rust target's 200k-line budget (product.md) at TypeScript's usual ~100 lines per file:
  // ~2,000 .ts files in 80 workspace packages, a large product monorepo where a pre-commit or CI
  // check is run many times a day. dependency-cruiser reports from users run from ~6k modules
  // (#191) to ~30k files (#978), so this is a mid-size input for it, not a toy.
  target: { apps: 22, packages: 58, filesPerUnit: 25, linesPerFile: 110, seed: 1 },
};

export const SCOPE = '@acme';

// ---------------------------------------------------------------------------------------------
// Naming helpers (the PRNG is common.mjs's, as generate.mjs uses)

const pascal = (s) => s.split(/[-_]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
const plural = (s) => (/(s|sh|ch|x)$/.test(s) ? `${s}es` : /[^aeiou]y$/.test(s) ? `${s.slice(0, -1)}ies` : `${s}s`);
const camel = (s) => {
  const p = pascal(s);
  return p.charAt(0).toLowerCase() + p.slice(1);
};

// Libraries in layering order: a package depends only on packages before it.
const PACKAGE_NAMES = [
  'errors', 'config', 'logger', 'ids', 'time', 'result', 'crypto', 'validation', 'http-client',
  'db', 'cache', 'events', 'queue', 'metrics', 'tracing', 'auth', 'feature-flags', 'i18n',
  'money', 'storage', 'email', 'pagination', 'rate-limit', 'retry', 'search', 'geo', 'templating',
  'audit', 'permissions', 'notifications', 'payments-sdk', 'graphql-utils', 'openapi', 'testing',
];
const APP_NAMES = [
  // Distinct from PACKAGE_NAMES: a duplicate package name is a diagnostic, not what is measured.
  'gateway', 'worker', 'orders', 'billing', 'catalog', 'inventory', 'shipping', 'users', 'identity',
  'notifier', 'search-api', 'reviews', 'payments', 'pricing', 'analytics', 'media', 'admin',
  'scheduler', 'webhooks', 'reporting', 'loyalty', 'fraud',
];
const NOUNS = ['order', 'invoice', 'session', 'account', 'policy', 'quota', 'cursor', 'ticket', 'bucket', 'digest', 'filter', 'plan', 'token', 'batch', 'snapshot', 'lease', 'job', 'event', 'route', 'profile', 'rule', 'report', 'cart', 'entry'];
const VERBS = ['load', 'refresh', 'apply', 'merge', 'resolve', 'validate', 'normalize', 'collect', 'expire', 'rebuild', 'dispatch', 'reconcile', 'score', 'split', 'flush', 'prune', 'render', 'sync', 'track', 'format'];
const ROLES = ['store', 'service', 'mapper', 'policy', 'client', 'handler', 'schema', 'builder', 'cache', 'registry', 'guard', 'reader', 'writer', 'planner'];
const FIELDS = [
  ['id', 'string', 'z.string().uuid()'], ['status', "'pending' | 'active' | 'closed'", "z.enum(['pending', 'active', 'closed'])"],
  ['title', 'string', 'z.string().min(1)'], ['amountCents', 'number', 'z.number().int()'], ['currency', 'string', 'z.string().length(3)'],
  ['createdAt', 'Date', 'z.date()'], ['updatedAt', 'Date', 'z.date()'], ['tags', 'string[]', 'z.array(z.string())'],
  ['priority', 'number', 'z.number().int().min(0)'], ['ownerId', 'string', 'z.string()'], ['metadata', 'Record<string, unknown>', 'z.record(z.unknown())'],
  ['isPublic', 'boolean', 'z.boolean()'], ['version', 'number', 'z.number().int()'], ['locale', 'string', 'z.string()'],
];
const EXTERNAL_VALUE = [
  ["import { z } from 'zod';", 'zod'],
  ["import { createHash } from 'node:crypto';", null],
  ["import path from 'node:path';", null],
  ["import { setTimeout as delay } from 'node:timers/promises';", null],
  ["import pino from 'pino';", 'pino'],
  ["import { EventEmitter } from 'node:events';", null],
];
const EXTERNAL_VERSIONS = { zod: '^3.23.8', pino: '^9.5.0', fastify: '^5.1.0', bullmq: '^5.21.0', pg: '^8.13.0', vitest: '^2.1.4', typescript: '5.6.3' };

// ---------------------------------------------------------------------------------------------
// Plan: units, their files, unit dependencies, deliberate cycles

function buildPlan(params) {
  const rng = new Rng(params.seed * 104729 + 7);
  const units = [];
  const npk = Math.max(3, params.packages);
  for (let i = 0; i < npk; i++) {
    const base = PACKAGE_NAMES[i % PACKAGE_NAMES.length];
    const round = Math.floor(i / PACKAGE_NAMES.length);
    const name = round === 0 ? base : `${base}-${round + 1}`;
    units.push({ kind: 'package', index: i, name, pkg: `${SCOPE}/${name}`, dir: `packages/${name}`, deps: [], files: [], extraDeps: [] });
  }
  const napp = Math.max(2, params.apps);
  for (let i = 0; i < napp; i++) {
    const base = APP_NAMES[i % APP_NAMES.length];
    const round = Math.floor(i / APP_NAMES.length);
    const name = round === 0 ? base : `${base}-${round + 1}`;
    units.push({ kind: 'app', index: npk + i, name, pkg: `${SCOPE}/${name}`, dir: `apps/${name}`, deps: [], files: [], extraDeps: [] });
  }
  const packages = units.filter((u) => u.kind === 'package');
  const apps = units.filter((u) => u.kind === 'app');
  // Layered DAG: a package uses 1-4 packages from the 12 before it (always `errors` when it exists).
  for (const p of packages) {
    if (p.index === 0) continue;
    const lower = packages.slice(Math.max(0, p.index - 12), p.index);
    const picks = new Set([packages[0], ...rng.sample(lower, rng.int(1, Math.min(4, lower.length)))]);
    p.deps = [...picks].sort((a, b) => a.index - b.index);
  }
  for (const a of apps) {
    const picks = new Set([packages[0], ...rng.sample(packages.slice(1), rng.int(3, Math.min(8, packages.length - 1)))]);
    a.deps = [...picks].sort((x, y) => x.index - y.index);
  }

  // Files per unit: apps get more than packages; the total is units * filesPerUnit.
  const total = Math.round(units.length * params.filesPerUnit);
  const weights = units.map((u) => (u.kind === 'app' ? 1.3 : 0.85) * (0.7 + rng.next() * 0.6));
  const wsum = weights.reduce((x, y) => x + y, 0);
  units.forEach((u, i) => {
    u.fileCount = Math.max(5, Math.round((weights[i] / wsum) * total));
  });

  // Deliberate cycles (value imports, so both tools must report them):
  //  - app <-> app: apps[0] (the gateway) imports the worker's job module by subpath and the job
  //    imports the gateway's queue payload module back, as in fixtures/repos/ts-workspace;
  //  - package <-> package: a lower package imports a module of a package above it that depends
  //    on it (one with a package.json dependency, the others import-only via tsconfig paths).
  const cycles = [{ kind: 'app', from: apps[0], to: apps[1], withManifestDep: true }];
  const wantPackageCycles = Math.max(1, Math.round(units.length / 40));
  const used = new Set();
  for (const hi of rng.shuffle(packages.filter((p) => p.index >= 4))) {
    if (cycles.length > wantPackageCycles) break;
    const lo = hi.deps.filter((d) => d.index > 0 && !used.has(d) && !used.has(hi)).at(-1);
    if (!lo) continue;
    used.add(lo).add(hi);
    cycles.push({ kind: 'package', from: lo, to: hi, withManifestDep: cycles.length === 1 });
  }
  // A type-only back edge: erased at compile time, so not a cycle for either tool's configuration.
  let typeOnly;
  for (const hi of [...packages].reverse()) {
    const lo = hi.deps.find((d) => d.index > 0 && !used.has(d) && !used.has(hi));
    if (lo) {
      typeOnly = { from: lo, to: hi };
      break;
    }
  }
  return { units, packages, apps, cycles, typeOnly };
}

// ---------------------------------------------------------------------------------------------
// Source building blocks

/** Module layout of one unit: paths (relative to the unit), in dependency order. */
function layoutUnit(rng, unit) {
  const mods = [];
  const taken = new Set();
  const name = () => {
    for (;;) {
      const n = `${rng.pick(NOUNS)}-${rng.pick(ROLES)}`;
      if (!taken.has(n)) {
        taken.add(n);
        return n;
      }
    }
  };
  if (unit.kind === 'package') {
    mods.push({ rel: 'src/types.ts', kind: 'types' });
    const n = unit.fileCount - 3; // types, index, tests share the rest
    const tests = Math.max(1, Math.round(n * 0.18));
    for (let i = 0; i < n - tests; i++) {
      const dir = i > 1 && rng.chance(0.3) ? 'src/internal' : 'src';
      mods.push({ rel: `${dir}/${name()}.ts`, kind: 'module', internal: dir === 'src/internal' });
    }
    for (let i = 0; i < tests + 1; i++) mods.push({ rel: '', kind: 'test' });
    mods.push({ rel: 'src/index.ts', kind: 'index' });
  } else {
    mods.push({ rel: 'src/schema.ts', kind: 'types' });
    const n = unit.fileCount - 3;
    const tests = Math.max(1, Math.round(n * 0.15));
    for (let i = 0; i < n - tests; i++) {
      const dir = rng.pick(['src/routes', 'src/handlers', 'src/jobs', 'src/domain', 'src/domain']);
      mods.push({ rel: `${dir}/${name()}.ts`, kind: 'module', internal: false });
    }
    for (let i = 0; i < tests + 1; i++) mods.push({ rel: '', kind: 'test' });
    mods.push({ rel: 'src/server.ts', kind: 'server' });
    mods.push({ rel: 'src/main.ts', kind: 'main' });
  }
  // Tests: half next to the code (`*.test.ts`), half under `test/`.
  let t = 0;
  for (const m of mods) {
    if (m.kind !== 'test') continue;
    const target = mods.filter((x) => x.kind === 'module')[t % Math.max(1, mods.filter((x) => x.kind === 'module').length)];
    const base = target ? path.posix.basename(target.rel, '.ts') : `unit-${t}`;
    m.rel = t % 2 === 0 && target ? target.rel.replace(/\.ts$/, '.test.ts') : `test/${base}-${t}.test.ts`;
    m.subject = target;
    t++;
  }
  return mods;
}

/** Relative specifier from one unit file to another, extensionless (moduleResolution bundler). */
function relSpec(fromRel, toRel) {
  let r = path.posix.relative(path.posix.dirname(fromRel), toRel.replace(/\.ts$/, ''));
  if (!r.startsWith('.')) r = `./${r}`;
  return r;
}

/** Exports of a module: value names (functions/classes/consts) and type names. */
function exportsFor(rng, stem) {
  const base = pascal(stem);
  return {
    types: [`${base}Record`, `${base}Options`],
    fns: [`${camel(rng.pick(VERBS))}${base}`, `${camel(rng.pick(VERBS))}${plural(base)}`],
    cls: `${base}`,
    consts: [`${camel(stem)}Schema`],
  };
}

function fieldsBlock(rng) {
  return rng.sample(FIELDS, rng.int(3, 6));
}

/** A function body of roughly `n` lines using imported value names. */
function body(rng, n, calls, indent = '  ') {
  const lines = [];
  let i = 0;
  while (lines.length < n) {
    i++;
    const r = rng.next();
    const v = `${rng.pick(['next', 'value', 'item', 'acc', 'current'])}${i}`;
    if (calls.length && r < 0.25) {
      const c = rng.pick(calls);
      lines.push(`${indent}const ${v} = ${c.call};`);
    } else if (r < 0.45) {
      lines.push(`${indent}if (input.${rng.pick(['status', 'priority', 'version', 'title'])} === undefined) {`);
      lines.push(`${indent}  throw new Error('${rng.pick(VERBS)}: missing ${rng.pick(NOUNS)}');`);
      lines.push(`${indent}}`);
    } else if (r < 0.6) {
      lines.push(`${indent}for (const [key, entry] of Object.entries(input)) {`);
      lines.push(`${indent}  if (typeof entry === 'string' && entry.length > ${rng.int(8, 200)}) result.push(key);`);
      lines.push(`${indent}}`);
    } else if (r < 0.72) {
      lines.push(`${indent}// ${pascal(rng.pick(VERBS))} the ${rng.pick(NOUNS)} before the ${rng.pick(NOUNS)} is ${rng.pick(['written', 'sent', 'cached', 'returned'])}.`);
    } else if (r < 0.85) {
      lines.push(`${indent}const ${v} = result.filter((k) => k.startsWith('${rng.pick(NOUNS)}')).map((k) => k.toUpperCase());`);
      lines.push(`${indent}result.push(...${v});`);
    } else {
      lines.push(`${indent}const ${v} = await Promise.resolve(${rng.int(1, 9999)} * (options.factor ?? ${rng.int(1, 9)}));`);
      lines.push(`${indent}if (${v} > ${rng.int(100, 9999)}) return { ok: false, reason: '${rng.pick(NOUNS)} over limit', keys: result };`);
    }
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Generation

export function generate(params, outDir) {
  const plan = buildPlan(params);
  const rng = new Rng(params.seed * 7919 + 101);
  const files = new Map();
  const emit = (p, lines) => files.set(p, `${lines.join('\n')}\n`);
  /** unit name -> public modules [{rel, exports}] (what others may import) */
  const publicMods = new Map();
  const layouts = new Map();
  for (const u of plan.units) layouts.set(u, layoutUnit(rng, u));

  // Cycle and type-only endpoints: choose the modules now so both ends can name each other.
  const forced = new Map(); // module object -> extra import lines
  const addForced = (unit, mod, line) => {
    const list = forced.get(mod) ?? [];
    list.push(line);
    forced.set(mod, list);
  };
  const firstModule = (u) => layouts.get(u).find((m) => m.kind === 'module' && !m.internal);
  const modStem = (m) => path.posix.basename(m.rel, '.ts');
  const subSpec = (u, m) => `${u.pkg}/${m.rel.replace(/^src\//, '').replace(/\.ts$/, '')}`;
  const cycleRecords = [];
  for (const c of plan.cycles) {
    // Lower end: its first public module (the one the barrel re-exports); upper end: its last one.
    const a = firstModule(c.from);
    const b = layouts.get(c.to).filter((m) => m.kind === 'module' && !m.internal).at(-1);
    a.exportsForced = exportsFor(new Rng(a.rel.length * 31 + c.from.index), modStem(a));
    b.exportsForced = exportsFor(new Rng(b.rel.length * 37 + c.to.index), modStem(b));
    addForced(c.from, a, `import { ${b.exportsForced.fns[0]} } from '${subSpec(c.to, b)}';`);
    addForced(c.to, b, `import { ${a.exportsForced.fns[1]} } from '${subSpec(c.from, a)}';`);
    a.cycleCall = b.exportsForced.fns[0];
    b.cycleCall = a.exportsForced.fns[1];
    if (c.withManifestDep) c.from.extraDeps.push(c.to);
    cycleRecords.push({
      kind: c.kind,
      units: [c.from.pkg, c.to.pkg],
      dirs: [c.from.dir, c.to.dir],
      files: [`${c.from.dir}/${a.rel}`, `${c.to.dir}/${b.rel}`],
      manifestDependency: c.withManifestDep,
    });
  }
  let typeOnlyRecord;
  if (plan.typeOnly) {
    const { from, to } = plan.typeOnly;
    const m = layouts.get(from).filter((x) => x.kind === 'module').at(-1);
    const target = firstModule(to);
    target.exportsForced ??= exportsFor(new Rng(target.rel.length * 41 + to.index), modStem(target));
    addForced(from, m, `import type { ${target.exportsForced.types[0]} } from '${to.pkg}';`);
    typeOnlyRecord = { units: [from.pkg, to.pkg], dirs: [from.dir, to.dir], file: `${from.dir}/${m.rel}` };
  }

  let dynamicImports = 0;
  for (const u of plan.units) {
    const mods = layouts.get(u);
    const done = []; // modules written so far, with exports
    const deps = u.deps;
    for (const m of mods) {
      const lines = [];
      if (m.kind === 'types') {
        const stem = u.kind === 'app' ? `${u.name}-payload` : `${u.name}-core`;
        m.exports = { types: [`${pascal(stem)}`, `${pascal(stem)}Id`], fns: [], cls: undefined, consts: [] };
        lines.push(`// Shared types of ${u.pkg}.`);
        lines.push(`export type ${pascal(stem)}Id = string & { readonly __brand: '${pascal(stem)}Id' };`, '');
        lines.push(`export interface ${pascal(stem)} {`);
        for (const [f, t] of fieldsBlock(rng)) lines.push(`  ${f}: ${t};`);
        lines.push('}', '');
        while (lines.length < params.linesPerFile * 0.5) {
          const n = `${pascal(rng.pick(NOUNS))}${pascal(rng.pick(ROLES))}${lines.length}`;
          lines.push(`export interface ${n} {`);
          for (const [f, t] of fieldsBlock(rng)) lines.push(`  ${rng.chance(0.3) ? `readonly ${f}` : f}${rng.chance(0.2) ? '?' : ''}: ${t};`);
          lines.push('}', '');
          m.exports.types.push(n);
        }
        emit(`${u.dir}/${m.rel}`, lines);
        done.push(m);
        continue;
      }
      if (m.kind === 'index') {
        // Barrel: public modules, with the three re-export forms.
        lines.push(`// Public API of ${u.pkg}.`);
        const types = done.find((x) => x.kind === 'types');
        lines.push(`export type { ${types.exports.types.slice(0, 2).join(', ')} } from './types';`);
        const pub = done.filter((x) => x.kind === 'module' && !x.internal);
        for (const x of pub) {
          if (rng.chance(0.7)) lines.push(`export * from '${relSpec(m.rel, x.rel)}';`);
          else lines.push(`export { ${[x.exports.cls, ...x.exports.fns, ...x.exports.consts].join(', ')} } from '${relSpec(m.rel, x.rel)}';`, `export type { ${x.exports.types.join(', ')} } from '${relSpec(m.rel, x.rel)}';`);
        }
        publicMods.set(u, pub);
        emit(`${u.dir}/${m.rel}`, lines);
        continue;
      }

      // Imports: externals, other units (by name, by subpath, type-only), own earlier modules.
      const calls = [];
      const typeNames = [];
      const importLines = [];
      const seen = new Set();
      const valueImport = (spec, names) => {
        if (seen.has(spec)) return;
        seen.add(spec);
        importLines.push(`import { ${names.join(', ')} } from '${spec}';`);
      };
      if (m.kind !== 'test') for (const [line] of rng.sample(EXTERNAL_VALUE, rng.int(0, 2))) importLines.push(line);
      if (m.kind === 'test') importLines.push("import { describe, expect, it } from 'vitest';");
      if (m.kind === 'main' || m.kind === 'server') importLines.push("import Fastify from 'fastify';");
      const crossCount = m.kind === 'test' ? rng.int(0, 1) : rng.int(1, 3);
      for (const d of rng.sample(deps, crossCount)) {
        const pub = publicMods.get(d) ?? [];
        if (!pub.length) continue;
        const target = rng.pick(pub);
        const r = rng.next();
        if (r < 0.2) {
          const tn = target.exports.types[0];
          if (!seen.has(`type:${d.pkg}`)) {
            seen.add(`type:${d.pkg}`);
            importLines.push(`import type { ${tn} } from '${d.pkg}';`);
            typeNames.push(tn);
          }
        } else if (r < 0.35) {
          valueImport(subSpec(d, target), [target.exports.fns[0]]);
          calls.push({ call: `${target.exports.fns[0]}(input as never, options)` });
        } else {
          const fn = rng.pick(target.exports.fns);
          valueImport(d.pkg, [fn, target.exports.cls]);
          calls.push({ call: `${fn}(input as never, options)` }, { call: `new ${target.exports.cls}()` });
        }
      }
      const own = done.filter((x) => x.kind === 'module');
      const ownCount = m.kind === 'main' || m.kind === 'server' ? Math.min(own.length, rng.int(3, 6)) : rng.int(0, Math.min(3, own.length));
      const ownPicks = m.kind === 'test' && m.subject ? [m.subject, ...rng.sample(own.filter((x) => x !== m.subject), ownCount - 1)] : rng.sample(own, ownCount);
      for (const x of ownPicks) {
        if (!x?.exports) continue;
        if (rng.chance(0.15) && m.kind !== 'test') {
          importLines.push(`import type { ${x.exports.types[1]} } from '${relSpec(m.rel, x.rel)}';`);
          typeNames.push(x.exports.types[1]);
        } else {
          valueImport(relSpec(m.rel, x.rel), [x.exports.fns[1], x.exports.consts[0]]);
          calls.push({ call: `${x.exports.fns[1]}(input as never, options)` });
        }
      }
      const typesMod = done.find((x) => x.kind === 'types');
      if (typesMod && m.kind !== 'test') importLines.push(`import type { ${typesMod.exports.types[0]} } from '${relSpec(m.rel, typesMod.rel)}';`);
      for (const line of forced.get(m) ?? []) importLines.push(line);
      if (m.cycleCall) calls.push({ call: `${m.cycleCall}(input as never, options)` });

      if (m.kind === 'test') {
        lines.push(...importLines, '');
        const subject = m.subject?.exports;
        lines.push(`describe('${m.subject ? modStem(m.subject) : u.name}', () => {`);
        let k = 0;
        while (lines.length < params.linesPerFile * 0.8) {
          k++;
          lines.push(`  it('${plural(rng.pick(VERBS))} a ${rng.pick(['pending', 'stale', 'empty', 'large'])} ${rng.pick(NOUNS)} (${k})', async () => {`);
          lines.push(`    const input = { id: 'id-${k}', status: 'pending', priority: ${rng.int(0, 9)}, title: '${rng.pick(NOUNS)}' };`);
          if (subject) lines.push(`    const out = await ${subject.fns[1]}(input as never, { factor: ${rng.int(1, 5)} });`);
          else lines.push(`    const out = { ok: true, keys: Object.keys(input) };`);
          lines.push(`    expect(out.ok).toBe(${rng.chance(0.7)});`, `    expect(out.keys).toHaveLength(${rng.int(0, 4)});`, '  });', '');
        }
        lines.push('});');
        emit(`${u.dir}/${m.rel}`, lines);
        continue;
      }

      if (m.kind === 'main' || m.kind === 'server') {
        lines.push(...importLines, '');
        if (m.kind === 'main') {
          // Entry point: lazily loaded job modules and one lazily loaded dependency.
          const jobs = own.filter((x) => x.rel.startsWith('src/jobs/')).slice(0, 2);
          lines.push(`const app = Fastify({ logger: true });`, `const port = Number(process.env.PORT ?? ${3000 + u.index});`, '');
          lines.push('export async function start(input: Record<string, unknown> = {}, options: { factor?: number } = {}): Promise<void> {');
          for (const j of jobs) {
            lines.push(`  const { ${j.exports.fns[0]} } = await import('${relSpec(m.rel, j.rel)}');`);
            lines.push(`  app.addHook('onReady', async () => { await ${j.exports.fns[0]}(input as never, options); });`);
            dynamicImports++;
          }
          if (deps.length > 1 && rng.chance(0.6)) {
            const d = deps.at(-1);
            lines.push(`  const lazy = await import('${d.pkg}');`, `  void lazy;`);
            dynamicImports++;
          }
          for (const c of calls.slice(0, 6)) lines.push(`  void ${c.call};`);
          lines.push('  await app.listen({ port, host: "0.0.0.0" });', '}', '');
          lines.push('start().catch((error: unknown) => {', '  console.error(error);', '  process.exit(1);', '});');
        } else {
          m.exports = { types: ['ServerOptions', 'ServerOptions'], fns: ['buildServer', 'buildServer'], cls: 'ServerState', consts: ['serverDefaults'] };
          lines.push('export interface ServerOptions { readonly factor?: number; readonly prefix: string }', '');
          lines.push('export class ServerState { readonly startedAt = new Date(); }', '');
          lines.push(`export const serverDefaults: ServerOptions = { prefix: '/${u.name}' };`, '');
          lines.push('export async function buildServer(input: Record<string, unknown>, options: { factor?: number } = {}) {');
          lines.push('  const app = Fastify();', '  const result: string[] = [];');
          for (const x of own.filter((y) => y.rel.startsWith('src/routes/')).slice(0, 8)) {
            lines.push(`  app.get('/${u.name}/${modStem(x)}', async () => ${x.exports.fns[1]}(input as never, options));`);
          }
          lines.push(...body(rng, Math.max(4, params.linesPerFile - lines.length - 4), calls));
          lines.push('  return { ok: true, app, keys: result };', '}');
        }
        emit(`${u.dir}/${m.rel}`, lines);
        continue;
      }

      // A module: an interface, a zod-like schema const, a class and two functions.
      const stem = modStem(m);
      const ex = m.exportsForced ?? exportsFor(rng, stem);
      m.exports = ex;
      lines.push(...importLines, '');
      if (rng.chance(0.5)) lines.push('/**', ` * ${pascal(plural(rng.pick(VERBS)))} ${plural(rng.pick(NOUNS))} for ${u.pkg}.`, ` * Owned by the ${u.name} team; see the package README for the ${rng.pick(NOUNS)} lifecycle.`, ' */');
      lines.push(`export interface ${ex.types[0]} {`);
      for (const [f, t] of fieldsBlock(rng)) lines.push(`  ${f}: ${t};`);
      if (typeNames.length) lines.push(`  related?: ${typeNames.join(' | ')};`);
      lines.push('}', '');
      lines.push(`export interface ${ex.types[1]} {`, '  readonly factor?: number;', `  readonly ${camel(rng.pick(NOUNS))}Limit?: number;`, '}', '');
      lines.push(`export const ${ex.consts[0]} = Object.freeze({`);
      for (const [f, , zs] of fieldsBlock(rng)) lines.push(`  ${f}: '${zs.replace(/'/g, '"')}',`);
      lines.push('});', '');
      lines.push(`export class ${ex.cls} {`, `  private readonly items = new Map<string, ${ex.types[0]}>();`, '');
      lines.push(`  get(id: string): ${ex.types[0]} | undefined {`, '    return this.items.get(id);', '  }', '');
      lines.push(`  set(id: string, value: ${ex.types[0]}): void {`, '    this.items.set(id, value);', '  }', '}', '');
      const remaining = Math.max(6, params.linesPerFile - lines.length - 12);
      const half = Math.floor(remaining / 2);
      for (const [fi, fn] of ex.fns.entries()) {
        lines.push(`export async function ${fn}(input: Partial<${ex.types[0]}>, options: ${ex.types[1]} = {}): Promise<{ ok: boolean; reason?: string; keys: string[] }> {`);
        lines.push('  const result: string[] = [];');
        lines.push(...body(rng, fi === 0 ? half : remaining - half, fi === 0 ? calls : calls.slice(0, 2)));
        lines.push('  return { ok: true, keys: result };', '}', '');
      }
      emit(`${u.dir}/${m.rel}`, lines);
      done.push(m);
    }

    // Manifest and tsconfig.
    const depObj = {};
    for (const d of [...deps, ...u.extraDeps].sort((a, b) => a.pkg.localeCompare(b.pkg))) depObj[d.pkg] = rng.chance(0.8) ? 'workspace:*' : 'workspace:^';
    for (const e of ['zod', 'pino']) depObj[e] = EXTERNAL_VERSIONS[e];
    if (u.kind === 'app') depObj.fastify = EXTERNAL_VERSIONS.fastify;
    const manifest = {
      name: u.pkg,
      version: `${rng.int(0, 3)}.${rng.int(0, 20)}.${rng.int(0, 9)}`,
      private: true,
      type: 'module',
      ...(u.kind === 'package'
        ? { main: './src/index.ts', types: './src/index.ts', exports: { '.': './src/index.ts', './*': './src/*.ts' } }
        : { exports: { './*': './src/*.ts' } }),
      scripts: {
        build: 'tsc -b',
        ...(u.kind === 'app' ? { start: 'node dist/main.js', dev: 'tsx watch src/main.ts' } : {}),
        test: 'vitest run',
      },
      dependencies: depObj,
      devDependencies: { typescript: EXTERNAL_VERSIONS.typescript, vitest: EXTERNAL_VERSIONS.vitest },
    };
    emit(`${u.dir}/package.json`, JSON.stringify(manifest, null, 2).split('\n'));
    emit(`${u.dir}/tsconfig.json`, JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { outDir: 'dist', rootDir: '.' }, include: ['src', 'test'] }, null, 2).split('\n'));
  }

  // Root: workspace shell, tsconfig with paths for every unit, both tools' configs.
  emit('package.json', JSON.stringify({
    name: 'acme-platform', private: true, packageManager: 'pnpm@9.12.0',
    scripts: { build: 'pnpm -r build', test: 'pnpm -r test', lint: 'boundary-lint .' },
    devDependencies: { typescript: EXTERNAL_VERSIONS.typescript, vitest: EXTERNAL_VERSIONS.vitest },
  }, null, 2).split('\n'));
  emit('pnpm-workspace.yaml', ['# Acme platform: services under apps/, shared libraries under packages/.', 'packages:', "  - 'apps/*'", "  - 'packages/*'"]);
  const paths = {};
  for (const u of plan.units) {
    if (u.kind === 'package') paths[u.pkg] = [`${u.dir}/src/index.ts`];
    paths[`${u.pkg}/*`] = [`${u.dir}/src/*`];
  }
  emit('tsconfig.base.json', JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', strict: true, skipLibCheck: true,
      esModuleInterop: true, resolveJsonModule: true, isolatedModules: true, baseUrl: '.', paths,
    },
  }, null, 2).split('\n'));
  emit('boundary.units.json', JSON.stringify({ rules: { 'no-cycles': ['error', { between: 'units' }] } }, null, 2).split('\n'));
  // dependency-cruiser: resolve with the tsconfig (paths), keep TypeScript-only imports as
  // boundary-lint does (tsPreCompilationDeps), do not descend into node_modules, and its standard
  // no-circular rule minus cycles through a type-only import (boundary-lint's no-cycles skips those).
  emit('.dependency-cruiser.json', JSON.stringify({
    forbidden: [{
      name: 'no-circular', severity: 'error', comment: 'value-import cycle (type-only imports are erased)',
      from: {}, to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    }],
    options: {
      doNotFollow: { path: 'node_modules' },
      tsPreCompilationDeps: true,
      tsConfig: { fileName: 'tsconfig.base.json' },
      enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'] },
      skipAnalysisNotInRules: true,
    },
  }, null, 2).split('\n'));

  const stats = { files: 0, tsFiles: 0, testFiles: 0, tsLines: 0, manifests: 0, bytes: 0, units: plan.units.length, apps: plan.apps.length, packages: plan.packages.length, dynamicImports };
  for (const [p, content] of files) {
    stats.files++;
    stats.bytes += Buffer.byteLength(content);
    if (p.endsWith('.ts')) {
      stats.tsFiles++;
      stats.tsLines += content.split('\n').length - 1;
      if (p.includes('.test.')) stats.testFiles++;
    } else if (p.endsWith('package.json')) stats.manifests++;
  }
  const stamp = {
    generator: GENERATOR_VERSION,
    generatorHash: GENERATOR_HASH,
    params,
    stats,
    apps: plan.apps.map((u) => u.pkg),
    packages: plan.packages.map((u) => u.pkg),
    cycles: cycleRecords,
    typeOnlyBackEdge: typeOnlyRecord,
  };
  writeTree(outDir, files, stamp);
  return stamp;
}

export function paramsFor(scale, overrides = {}) {
  return scaleParams(SCALES, scale, overrides);
}

// ---------------------------------------------------------------------------------------------
// CLI

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const args = parseGeneratorArgs(process.argv.slice(2), { '--apps': 'apps', '--packages': 'packages', '--files-per-unit': 'filesPerUnit', '--lines-per-file': 'linesPerFile' });
    if (args.help) {
      process.stdout.write('usage: node scripts/bench/generate-ts.mjs [--scale small|target] [--seed N] [--out DIR] [--apps N] [--packages N] [--files-per-unit N] [--lines-per-file N]\n');
      process.exit(0);
    }
    const scale = args.scale ?? 'target';
    const params = paramsFor(scale, { seed: args.seed, apps: args.apps, packages: args.packages, filesPerUnit: args.filesPerUnit, linesPerFile: args.linesPerFile });
    for (const [k, v] of Object.entries(params)) if (!Number.isFinite(v) || v < 0) throw new Error(`--${k}: not a non-negative number`);
    const out = args.out ?? path.join('.bench', `ts-${scale}`);
    const started = performance.now();
    const stamp = generate(params, out);
    const s = stamp.stats;
    process.stdout.write(
      `generated ${out}: ${s.files} files, ${s.tsFiles} .ts files (${s.testFiles} tests), ${s.tsLines} TypeScript lines, ` +
        `${s.units} units (${s.apps} apps, ${s.packages} packages), ${stamp.cycles.length} deliberate cycles, ` +
        `${(s.bytes / 1048576).toFixed(1)} MB in ${Math.round(performance.now() - started)} ms\n`,
    );
  } catch (error) {
    process.stderr.write(`generate-ts: ${error.message}\n`);
    process.exit(2);
  }
}
