import { describe, expect, it } from 'vitest';
import type { Location } from '../../src/model/types.js';
import { canonicalInput, readCanonicalSource } from '../helpers/canonical-result.js';

/** Every location of the canonical result, with where it was found. */
function locations(): [string, Location][] {
  const input = canonicalInput();
  const out: [string, Location][] = [];
  input.findings.forEach((f, i) => {
    out.push([`findings[${i}]`, f.location]);
    f.related.forEach((r, j) => out.push([`findings[${i}].related[${j}]`, r.location]));
    f.suggestions.forEach((s, j) =>
      s.edits.forEach((e, k) =>
        out.push([`findings[${i}].suggestions[${j}].edits[${k}]`, { file: e.file, line: e.range.startLine, column: e.range.startColumn, endLine: e.range.endLine, endColumn: e.range.endColumn }]),
      ),
    );
  });
  input.model.edges.forEach((e, i) => e.evidence.forEach((l, j) => out.push([`edges[${i}].evidence[${j}]`, l])));
  input.model.diagnostics.forEach((d, i) => d.location && out.push([`diagnostics[${i}]`, d.location]));
  return out;
}

describe('the canonical report fixture', () => {
  it.each(locations())('%s points into a real source file', (_where, location) => {
    const source = readCanonicalSource(location.file);
    expect(source, `fixtures/report/sources/${location.file}`).toBeDefined();
    const lines = source!.split(/\r\n|\r|\n/);
    const line = lines[location.line - 1];
    expect(line, `line ${location.line}`).toBeDefined();
    expect(location.column).toBeGreaterThanOrEqual(1);
    expect(location.column).toBeLessThanOrEqual(line!.length + 1);
    if (location.endLine !== undefined && location.endColumn !== undefined) {
      const endLine = lines[location.endLine - 1];
      expect(endLine, `end line ${location.endLine}`).toBeDefined();
      expect(location.endColumn).toBeLessThanOrEqual(endLine!.length + 1);
    }
  });

  it('holds what every reporter must cope with', () => {
    const input = canonicalInput();
    const severities = new Set(input.findings.map((f) => f.severity));
    expect([...severities].sort()).toEqual(['error', 'info', 'warning']);
    expect(input.findings.some((f) => f.ruleId === 'no-cycles' && f.related.length >= 3)).toBe(true);
    expect(input.findings.some((f) => f.suggestions.some((s) => s.edits.length > 0))).toBe(true);
    expect(input.findings.some((f) => f.message.includes('\u001b['))).toBe(true);
    expect(input.findings.some((f) => /[ ]/.test(f.location.file) && /[^\x00-\x7f]/.test(f.location.file))).toBe(true);
    expect(input.findings.some((f) => f.location.endColumn === undefined)).toBe(true);
    expect(input.model.diagnostics.map((d) => d.code)).toEqual(['not-a-workspace-member', 'manifest-parse-error']);
    // Every finding's rule is among the rules the result says ran.
    for (const f of input.findings) expect(input.rules.map((r) => r.id)).toContain(f.ruleId);
  });
});
