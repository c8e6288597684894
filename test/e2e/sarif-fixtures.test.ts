import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, type RunResult } from '../../src/run.js';
import { renderSarif } from '../../src/report/sarif.js';
import { canonicalContext } from '../helpers/canonical-result.js';
import { githubProfileProblems } from '../helpers/sarif-github-profile.js';
import { sarifSchemaErrors } from '../helpers/sarif-schema.js';

const fixtures = path.resolve(__dirname, '../../fixtures/repos');

const names = ['nova-before', 'nova-after', 'cargo-malformed'];
const results = new Map<string, RunResult>();
for (const name of names) {
  const root = path.join(fixtures, name);
  results.set(name, await run({ root, cwd: root, includeTests: true }));
}

describe.each(names)('SARIF for fixture %s', (name) => {
  const root = path.join(fixtures, name);
  const result = results.get(name)!;
  const context = canonicalContext({
    readSource: (file) => {
      try {
        return readFileSync(path.join(root, file), 'utf8');
      } catch {
        return undefined;
      }
    },
    includeEnvironment: true,
  });
  const log = JSON.parse(renderSarif({ root: result.root, model: result.model, findings: result.findings, rules: result.rules, stats: result.stats }, context));

  it('validates against the SARIF 2.1.0 schema', () => {
    expect(sarifSchemaErrors(log)).toEqual([]);
  });

  it('passes the GitHub code scanning checks', () => {
    expect(githubProfileProblems(log)).toEqual([]);
  });

  it('has one result per finding, each linking every related location', () => {
    const results = log.runs[0].results;
    expect(results).toHaveLength(result.findings.length);
    for (const sarifResult of results) {
      for (const related of sarifResult.relatedLocations ?? []) expect(sarifResult.message.text).toContain(`](${related.id})`);
    }
  });
});
