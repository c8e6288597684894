import { describe, expect, it } from 'vitest';
import type * as Sarif from 'sarif';
import { applySuppressions, suppressionsByFile } from '../../src/check/suppressions.js';
import { resolveConfig } from '../../src/config/resolve.js';
import { rules as registry } from '../../rules/index.js';
import { runCli } from '../helpers/cli.js';
import { crate, writeRepo } from '../helpers/repo.js';
import { githubProfileProblems } from '../helpers/sarif-github-profile.js';
import { sarifSchemaErrors } from '../helpers/sarif-schema.js';

function cyclic(comment: string, config?: object) {
  return writeRepo({
    'Cargo.toml': '[workspace]\nmembers = ["a-service", "b-service"]\n',
    'a-service/Cargo.toml': crate('a-service', `[dependencies]\n${comment}b-service = { path = "../b-service" }\n`),
    'a-service/src/main.rs': 'fn main() {}\n',
    'b-service/Cargo.toml': crate('b-service', '[dependencies]\na-service = { path = "../a-service" }\n'),
    'b-service/src/main.rs': 'fn main() {}\n',
    ...(config ? { 'boundary.config.json': JSON.stringify(config) } : {}),
  });
}

const lint = (root: string, ...args: string[]) => runCli(['.', '--no-cache', '--format', 'concise', ...args], { cwd: root });

describe('invalid-suppression', () => {
  it('reports a suppression without a reason as an error of its own, and the finding it names stays', async () => {
    const result = await lint(cyclic('# boundary-lint-disable-next-line no-cycles\n'));
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').slice(0, 2)).toEqual([
      'a-service/Cargo.toml:6:1: error: suppression of no-cycles gives no reason, so it silences nothing: write ` -- <why>` after the rule ids [invalid-suppression]',
      'a-service/Cargo.toml:7:1: error: dependency cycle between services: a-service → b-service → a-service [no-cycles]',
    ]);
    const log = JSON.parse((await runCli(['.', '--no-cache', '--format', 'sarif'], { cwd: cyclic('# boundary-lint-disable-next-line no-cycles\n') })).stdout) as Sarif.Log;
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(githubProfileProblems(log)).toEqual([]);
    expect(log.runs[0]!.results!.some((r) => r.suppressions)).toBe(false);
  });

  it('names an unknown rule with the nearest known id', async () => {
    const result = await lint(cyclic('# boundary-lint-disable-next-line no-cycle -- typo\n'));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('a-service/Cargo.toml:6:1: error: suppression names unknown rule "no-cycle"; did you mean "no-cycles"? [invalid-suppression]');
  });

  it('can be turned off: a suppression without a reason then silences what it names', async () => {
    const result = await lint(cyclic('# boundary-lint-disable-next-line no-cycles\n', { rules: { 'invalid-suppression': 'off' } }));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^✔ no problems · 1 suppressed/);
  });

  it('suggests, display-only, the comment with a reason placeholder, a rule placeholder, or the nearest rule id', () => {
    const suggestions = (line: string) =>
      applySuppressions([], suppressionsByFile([['db/schema.sql', `${line}\nSELECT 1;\n`]]), { knownRules: registry, settings: resolveConfig({}, registry).rules })
        .filter((f) => f.ruleId === 'invalid-suppression')
        .map((f) => [f.messageId, ...f.suggestions.map((s) => `${s.applicability}: ${s.title}`)]);
    expect(suggestions('-- boundary-lint-disable-next-line no-cycles no-cross-service-db')).toEqual([
      ['noReason', 'display-only: Add a reason after the rule ids: `-- boundary-lint-disable-next-line no-cycles no-cross-service-db -- <why>`'],
    ]);
    expect(suggestions('-- boundary-lint-disable-next-line -- legacy')).toEqual([
      ['noRule', 'display-only: Name the rules it silences: `-- boundary-lint-disable-next-line <rule-id> -- legacy`'],
    ]);
    expect(suggestions('-- boundary-lint-disable-next-line no-cycle -- typo')).toEqual([['unknownRule', 'display-only: Write "no-cycles" instead of "no-cycle"']]);
    expect(suggestions('-- boundary-lint-disable-next-line zzzzzzzzzzzz -- typo')).toEqual([
      ['unknownRule', 'display-only: Remove "zzzzzzzzzzzz", or write the id of a boundary-lint rule'],
    ]);
  });
});
