import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(__dirname, '../..');

/** Which stages each stage may import (docs/style.md §1). `run` is src/run.ts and src/run/ (the model build it loads lazily). */
const ALLOWED: Record<string, string[]> = {
  util: [],
  config: ['util'],
  discover: ['config', 'model', 'util'],
  scan: ['model', 'util'],
  model: ['scan', 'util'],
  graph: ['model', 'util'],
  check: ['model', 'graph', 'config', 'util'],
  report: ['check', 'model', 'graph', 'util'],
  cache: ['model', 'util'],
  run: ['config', 'discover', 'scan', 'model', 'graph', 'check', 'cache', 'util', 'rules'],
  cli: ['run', 'report', 'config', 'check', 'model', 'util'],
  rules: ['check', 'model', 'graph', 'util', 'rules'],
};
/** Arrows allowed only as `import type`: the model reads the shape of scanner facts, reporters the shape of graph views. */
const TYPE_ONLY: Record<string, string[]> = { model: ['scan'], report: ['graph'] };
/**
 * The one value arrow from the model into a scanner: SQL text is assembled in the model (consts
 * from other modules, included files, format! templates), so the model runs the statement analyzer.
 */
const SQL_ANALYZER = /\/scan\/sql\//;

function stageOf(file: string): string | undefined {
  const relative = path.relative(repo, file).split(path.sep);
  if (relative[0] === 'rules') return 'rules';
  if (relative[0] !== 'src') return undefined;
  if (relative[1] === 'run.ts' || relative[1] === 'run.js') return 'run';
  return relative[1];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

interface Arrow {
  from: string;
  to: string;
  file: string;
  typeOnly: boolean;
  specifier: string;
}

/** Every relative import in a file, with whether it is `import type`. */
export function importsOf(file: string, text: string): Arrow[] {
  const arrows: Arrow[] = [];
  const pattern = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;
  for (const match of text.matchAll(pattern)) {
    const specifier = match[3] ?? match[4]!;
    if (!specifier.startsWith('.')) continue;
    const target = path.resolve(path.dirname(file), specifier);
    const from = stageOf(file);
    const to = stageOf(target);
    if (from && to) arrows.push({ from, to, file: path.relative(repo, file), typeOnly: match[2] !== undefined, specifier });
  }
  return arrows;
}

describe('architecture: data flows one way', () => {
  const files = [...sourceFiles(path.join(repo, 'src')), ...sourceFiles(path.join(repo, 'rules'))];

  it('every import points along an allowed arrow', () => {
    const violations: string[] = [];
    for (const file of files) {
      for (const arrow of importsOf(file, readFileSync(file, 'utf8'))) {
        if (arrow.from === arrow.to) continue;
        const allowed = ALLOWED[arrow.from] ?? [];
        if (!allowed.includes(arrow.to)) {
          violations.push(`${arrow.file}: ${arrow.from} must not import ${arrow.to} (${arrow.specifier})`);
        } else if (TYPE_ONLY[arrow.from]?.includes(arrow.to) && !arrow.typeOnly && !SQL_ANALYZER.test(arrow.specifier)) {
          violations.push(`${arrow.file}: ${arrow.from} may import ${arrow.to} only with \`import type\` (${arrow.specifier})`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('only config, discover, cache and cli touch the file system or the process', () => {
    const offenders = files
      .filter((file) => !['config', 'discover', 'cache', 'cli'].includes(stageOf(file) ?? ''))
      .filter((file) => /from 'node:fs'|from 'fs'|\bprocess\./.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(repo, file));
    expect(offenders).toEqual([]);
  });

  it('detects a wrong-way import (the check itself can fail)', () => {
    const fake = path.join(repo, 'src/scan/cargo/fake.ts');
    const arrows = importsOf(fake, "import { renderText } from '../../report/text.js';\nimport type { Unit } from '../../model/types.js';\n");
    expect(arrows.map((a) => `${a.from}->${a.to}`)).toEqual(['scan->report', 'scan->model']);
    expect(ALLOWED.scan).not.toContain('report');
  });
});
