/**
 * docs/diagnostics.md lists every diagnostic code the tool emits, and nothing else: a new code
 * without a row (or a row for a code that is gone) fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** Codes written as `code: 'x-y'` in a diagnostic literal, or passed to the TS SQL diagnostic helper. */
function emittedCodes(): Set<string> {
  const codes = new Set<string>();
  for (const file of sourceFiles(path.join(repo, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\bcode: '([a-z0-9]+(?:-[a-z0-9]+)+)'/g)) codes.add(match[1]!);
    for (const match of text.matchAll(/\bsqlDiagnostic\('([a-z0-9]+(?:-[a-z0-9]+)+)'/g)) codes.add(match[1]!);
  }
  return codes;
}

/** Codes in the first column of the tables of docs/diagnostics.md (a cell may list several). */
function documentedCodes(): Set<string> {
  const codes = new Set<string>();
  for (const line of readFileSync(path.join(repo, 'docs', 'diagnostics.md'), 'utf8').split('\n')) {
    const cell = /^\| (`[^|]+`) \|/.exec(line)?.[1];
    if (cell) for (const match of cell.matchAll(/`([a-z0-9-]+)`/g)) codes.add(match[1]!);
  }
  return codes;
}

describe('docs/diagnostics.md', () => {
  it('documents every diagnostic code the sources emit, and no other', () => {
    const emitted = emittedCodes();
    const documented = documentedCodes();
    expect(emitted.size).toBeGreaterThan(30);
    expect({ undocumented: [...emitted].filter((c) => !documented.has(c)).sort(), stale: [...documented].filter((c) => !emitted.has(c)).sort() }).toEqual({ undocumented: [], stale: [] });
  });
});
