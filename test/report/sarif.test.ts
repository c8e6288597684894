import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import { ruleHelpUri } from '../../src/check/rule-docs.js';
import type { ReportInput } from '../../src/report/types.js';
import { pathToUriReference, renderSarif, rootToFileUri } from '../../src/report/sarif.js';
import { lineHashes } from '../../src/util/line-hash.js';
import { canonicalContext, canonicalInput, readCanonicalSource } from '../helpers/canonical-result.js';
import { githubProfileProblems } from '../helpers/sarif-github-profile.js';
import { sarifSchemaErrors } from '../helpers/sarif-schema.js';

function render(overrides: Parameters<typeof canonicalContext>[0] = {}, input: ReportInput = canonicalInput()): Sarif.Log {
  return JSON.parse(renderSarif(input, canonicalContext(overrides))) as Sarif.Log;
}

function runOf(log: Sarif.Log): Sarif.Run {
  expect(log.runs).toHaveLength(1);
  return log.runs[0]!;
}

function resultOf(log: Sarif.Log, ruleId: string, level?: string): Sarif.Result {
  const found = runOf(log).results!.filter((r) => r.ruleId === ruleId && (level === undefined || r.level === level));
  expect(found, `one ${ruleId} result`).toHaveLength(1);
  return found[0]!;
}

function uriOf(location: Sarif.Location | undefined): string | undefined {
  return location?.physicalLocation?.artifactLocation?.uri;
}

const MEDIA_REPO = 'backend/m%C3%A9di%C3%A1%20service/src/repo.rs';

describe('renderSarif on the canonical result', () => {
  const output = renderSarif(canonicalInput(), canonicalContext());
  const log = JSON.parse(output) as Sarif.Log;

  it('matches the reviewed golden file', async () => {
    await expect(output).toMatchFileSnapshot('../../fixtures/report/canonical.sarif');
  });

  it('is valid against the SARIF 2.1.0 schema', () => {
    expect(sarifSchemaErrors(log)).toEqual([]);
  });

  it('meets what GitHub code scanning needs', () => {
    expect(githubProfileProblems(log)).toEqual([]);
  });

  it('is byte-identical when rendered again, and has no timestamps', () => {
    expect(renderSarif(canonicalInput(), canonicalContext())).toBe(output);
    expect(output).not.toMatch(/"(timeUtc|startTimeUtc|endTimeUtc)"/);
    expect(output.endsWith('}\n')).toBe(true);
  });

  it('has one run in the boundary-lint category with utf16 columns and no environment facts', () => {
    const run = runOf(log);
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(run.automationDetails?.id).toBe('boundary-lint/');
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.originalUriBaseIds).toBeUndefined();
    expect(output).not.toContain('file://');
    expect(run.tool.driver).toMatchObject({ name: 'boundary-lint', semanticVersion: '0.0.0-test', version: '0.0.0-test' });
  });

  it('describes every rule that ran, in order, without security-severity', () => {
    const input = canonicalInput();
    const rules = runOf(log).tool.driver.rules!;
    expect(rules.map((r) => r.id)).toEqual(input.rules.map((r) => r.id));
    const cycles = rules.find((r) => r.id === 'no-cycles')!;
    expect(cycles).toMatchObject({
      name: 'NoCycles',
      shortDescription: { text: input.rules.find((r) => r.id === 'no-cycles')!.meta.description },
      helpUri: ruleHelpUri('no-cycles'),
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['architecture', 'cycles'], precision: 'very-high', 'problem.severity': 'error' },
    });
    // The full description is the doc's first prose paragraph, not its title or a heading.
    expect(cycles.fullDescription!.text).toMatch(/^Services that depend on each other in a cycle/);
    expect(cycles.fullDescription!.text).not.toContain('`');
    expect(cycles.help!.markdown).toMatch(/^# no-cycles/);
    const unowned = rules.find((r) => r.id === 'no-unowned-table')!;
    expect(unowned.defaultConfiguration?.level).toBe('warning');
    expect(unowned.properties?.['problem.severity']).toBe('warning');
    for (const rule of rules) expect(rule.properties).not.toHaveProperty('security-severity');
  });

  it('points every ruleIndex at its rule', () => {
    const run = runOf(log);
    expect(run.results).toHaveLength(canonicalInput().findings.length);
    for (const result of run.results!) expect(run.tool.driver.rules![result.ruleIndex!]!.id).toBe(result.ruleId);
  });

  it('maps severities to levels: error, warning, and info as note', () => {
    expect(runOf(log).results!.map((r) => [r.ruleId, r.level])).toEqual([
      ['no-cross-service-db', 'error'],
      ['no-cycles', 'error'],
      ['no-unowned-table', 'note'],
      ['no-unowned-table', 'warning'],
    ]);
  });

  it('lists every edge of the cycle as a related location, linked from a message whose first sentence stands alone', () => {
    const cycle = resultOf(log, 'no-cycles');
    const related = cycle.relatedLocations!;
    expect(related.length).toBeGreaterThanOrEqual(3);
    expect(related.map((r) => [r.id, uriOf(r), r.physicalLocation?.region?.startLine])).toEqual([
      [1, 'services/billing/Cargo.toml', 7],
      [2, 'libs/ledger/Cargo.toml', 7],
      [3, 'services/users/Cargo.toml', 7],
      [4, 'services/orders/Cargo.toml', 7],
    ]);
    expect(related[1]!.message?.text).toBe('ledger → users (crate) (part of billing → users through ledger)');
    const text = cycle.message.text!;
    expect(text.startsWith('dependency cycle between services: billing → users → orders → billing. ')).toBe(true);
    for (const r of related) expect(text).toContain(`](${r.id})`);
    expect(text).toContain('[orders → billing (crate)](4)');
    expect(uriOf(cycle.locations![0])).toBe('services/billing/Cargo.toml');
    expect(cycle.locations![0]!.physicalLocation!.region).toEqual({ startLine: 7, startColumn: 1, endLine: 7, endColumn: 7 });
  });

  it('percent-encodes a path with a space and non-ASCII characters, and keeps it relative to %SRCROOT%', () => {
    const write = resultOf(log, 'no-cross-service-db');
    expect(write.locations![0]!.physicalLocation!.artifactLocation).toEqual({ uri: MEDIA_REPO, uriBaseId: '%SRCROOT%' });
    expect(decodeURIComponent(MEDIA_REPO)).toBe('backend/médiá service/src/repo.rs');
    expect(write.locations![0]!.physicalLocation!.region).toEqual({ startLine: 4, startColumn: 25, endLine: 4, endColumn: 30 });
  });

  it('fingerprints each result with the line hash of its actual source line and with our own identity', () => {
    const input = canonicalInput();
    for (const [i, result] of runOf(log).results!.entries()) {
      const finding = input.findings[i]!;
      const source = readCanonicalSource(finding.location.file);
      expect(source, finding.location.file).toBeDefined();
      expect(result.partialFingerprints).toEqual({
        primaryLocationLineHash: lineHashes(source!)[finding.location.line - 1],
        'boundaryLint/v1': finding.fingerprint,
      });
    }
    const hashes = runOf(log).results!.map((r) => r.partialFingerprints!.primaryLocationLineHash);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('spans the token when a location has no end', () => {
    // `"tmp\x1b[31m_export"`: 17 UTF-16 code units from the opening quote to the closing one.
    const unused = resultOf(log, 'no-unowned-table', 'note');
    expect(unused.locations![0]!.physicalLocation!.region).toEqual({ startLine: 1, startColumn: 14, endLine: 1, endColumn: 31 });
  });

  it('keeps a terminal escape verbatim (JSON encodes it) and escapes literal brackets', () => {
    const unused = resultOf(log, 'no-unowned-table', 'note');
    expect(unused.message.text).toBe('table "tmp\u001b\\[31m_export" is created but no service reads or writes it');
    expect(output).toContain('tmp\\u001b\\\\[31m_export');
    expect(output).not.toContain('\u001b');
  });

  it('reports tool diagnostics as execution notifications of a successful invocation', () => {
    const invocation = runOf(log).invocations![0]!;
    expect(invocation.executionSuccessful).toBe(true);
    const notifications = invocation.toolExecutionNotifications!;
    expect(notifications.map((n) => [n.descriptor?.id, n.level, uriOf(n.locations?.[0])])).toEqual([
      ['not-a-workspace-member', 'note', 'scratch/Cargo.toml'],
      ['manifest-parse-error', 'warning', 'tools/broken/Cargo.toml'],
    ]);
    // The parse error has no end: the region covers the offending `=` only.
    expect(notifications[1]!.locations![0]!.physicalLocation!.region).toEqual({ startLine: 4, startColumn: 11, endLine: 4, endColumn: 12 });
  });

  it('emits no fixes without --fix-suggestions', () => {
    for (const result of runOf(log).results!) expect(result.fixes).toBeUndefined();
  });
});

describe('renderSarif options and edge cases', () => {
  it('adds fixes under --fix-suggestions, only for suggestions that have edits', () => {
    const log = render({ fixSuggestions: true });
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(githubProfileProblems(log)).toEqual([]);
    const withFixes = runOf(log).results!.filter((r) => r.fixes !== undefined);
    expect(withFixes.map((r) => r.ruleId)).toEqual(['no-cross-service-db']);
    expect(withFixes[0]!.fixes).toEqual([
      {
        description: { text: 'Call `users_client::set_avatar` instead of updating the table' },
        artifactChanges: [
          {
            artifactLocation: { uri: MEDIA_REPO, uriBaseId: '%SRCROOT%' },
            replacements: [
              {
                deletedRegion: { startLine: 4, startColumn: 5, endLine: 8, endColumn: 16 },
                insertedContent: { text: 'users_client::set_avatar(user_id, url).await?' },
              },
            ],
          },
        ],
        properties: { applicability: 'unsafe' },
      },
    ]);
  });

  it('adds the absolute root as %SRCROOT%, ending in a slash, only with includeEnvironment', () => {
    const input = { ...canonicalInput(), root: '/home/ci/my repo/mõnorepo' };
    const log = render({ includeEnvironment: true }, input);
    expect(runOf(log).originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///home/ci/my%20repo/m%C3%B5norepo/' } });
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(githubProfileProblems(log)).toEqual([]);
    expect(rootToFileUri('/')).toBe('file:///');
    expect(rootToFileUri('C:\\work\\repo')).toBe('file:///C:/work/repo/');
  });

  it('omits the line hash, but keeps a valid region, when the source cannot be read', () => {
    const log = render({ readSource: () => undefined });
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(githubProfileProblems(log)).toEqual([]);
    for (const result of runOf(log).results!) {
      expect(result.partialFingerprints).not.toHaveProperty('primaryLocationLineHash');
      expect(result.partialFingerprints).toHaveProperty('boundaryLint/v1');
    }
    const unused = resultOf(log, 'no-unowned-table', 'note');
    expect(unused.locations![0]!.physicalLocation!.region).toEqual({ startLine: 1, startColumn: 14, endLine: 1, endColumn: 15 });
  });

  it('encodes characters that would otherwise make a uri absolute or invalid', () => {
    expect(pathToUriReference('a:b/100% done/#1?.rs')).toBe('a%3Ab/100%25%20done/%231%3F.rs');
  });

  it('describes rules without findings and renders an empty result list', () => {
    const input = { ...canonicalInput(), findings: [], model: { units: [], edges: [], diagnostics: [], topics: [], grpcServices: [], tableAccesses: [], owners: {}, ownershipConflicts: [] } };
    const log = render({}, input);
    expect(runOf(log).results).toEqual([]);
    expect(runOf(log).tool.driver.rules).toHaveLength(input.rules.length);
    expect(runOf(log).invocations).toEqual([{ executionSuccessful: true }]);
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(githubProfileProblems(log)).toEqual([]);
  });

  it('refuses a finding of a rule that did not run', () => {
    const input = canonicalInput();
    expect(() => renderSarif({ ...input, rules: input.rules.filter((r) => r.id !== 'no-cycles') }, canonicalContext())).toThrow(/no-cycles/);
  });
});

describe('the GitHub profile checker', () => {
  const valid = (): Sarif.Log => render();

  it('catches a ruleIndex that points at another rule', () => {
    const log = valid();
    const result = runOf(log).results![0]!;
    const rules = runOf(log).tool.driver.rules!;
    const other = (result.ruleIndex! + 1) % rules.length;
    result.ruleIndex = other;
    expect(githubProfileProblems(log)).toEqual([
      expect.stringMatching(new RegExp(`ruleId ${result.ruleId} is not rules\\[${other}\\]\\.id \\(${rules[other]!.id}\\)`)),
    ]);
  });

  it('catches a link to a related location that does not exist', () => {
    const log = valid();
    const result = runOf(log).results![1]!;
    result.message.text = `${result.message.text} See [x](9).`;
    expect(githubProfileProblems(log)).toEqual([expect.stringMatching(/links \[x\]\(9\), but no relatedLocations entry has id 9/)]);
  });

  it('ignores escaped brackets that only look like links', () => {
    const log = valid();
    runOf(log).results![0]!.message.text = 'not a link: \\[x\\](9)';
    expect(githubProfileProblems(log)).toEqual([]);
  });

  it('catches absolute, unencoded and escaping uris', () => {
    const log = valid();
    const results = runOf(log).results!;
    results[0]!.locations![0]!.physicalLocation!.artifactLocation!.uri = 'file:///repo/a.rs';
    results[1]!.locations![0]!.physicalLocation!.artifactLocation!.uri = 'backend/médiá service/a.rs';
    results[2]!.locations![0]!.physicalLocation!.artifactLocation!.uri = '../outside/a.rs';
    results[3]!.locations![0]!.physicalLocation!.artifactLocation!.uri = 'src\\a.rs';
    const problems = githubProfileProblems(log);
    expect(problems.some((p) => /results\[0\].*is absolute/.test(p))).toBe(true);
    expect(problems.some((p) => /results\[1\].*raw whitespace/.test(p))).toBe(true);
    expect(problems.some((p) => /results\[2\].*\.\. segment/.test(p))).toBe(true);
    expect(problems.some((p) => /results\[3\].*backslash/.test(p))).toBe(true);
  });

  it('catches descriptor problems GitHub rejects or misreads', () => {
    const log = valid();
    const rules = runOf(log).tool.driver.rules!;
    rules[0]!.fullDescription = { text: '' };
    rules[1]!.shortDescription = { text: 'x'.repeat(1025) };
    rules[1]!.helpUri = 'rules/no-cycles.md';
    rules[2]!.properties = { tags: Array.from({ length: 21 }, (_, i) => `t${i}`), 'security-severity': '9.0' };
    rules.push({ ...rules[0]!, fullDescription: { text: 'dup' } });
    const duplicateIndex = rules.length - 1;
    const problems = githubProfileProblems(log);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/rules\[0\]\.fullDescription\.text is required/),
        expect.stringMatching(/rules\[1\]\.shortDescription\.text is 1025 characters/),
        expect.stringMatching(/rules\[1\]\.helpUri .* not an absolute/),
        expect.stringMatching(/rules\[2\]\.properties has security-severity/),
        expect.stringMatching(/rules\[2\]\.properties\.tags has 21 tags/),
        expect.stringMatching(new RegExp(`rules\\[${duplicateIndex}\\]: rule id ${rules[0]!.id} is not unique`)),
      ]),
    );
  });

  it('catches missing or extra locations, bad regions and badly shaped line hashes', () => {
    const log = valid();
    const results = runOf(log).results!;
    results[0]!.locations = [];
    results[1]!.locations!.push(results[1]!.locations![0]!);
    results[2]!.locations![0]!.physicalLocation!.region = { startLine: 1, startColumn: 5, endLine: 1, endColumn: 5 };
    results[3]!.partialFingerprints!.primaryLocationLineHash = 'not-a-hash';
    const problems = githubProfileProblems(log);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/results\[0\]: has 0 locations/),
        expect.stringMatching(/results\[1\]: has 2 locations/),
        expect.stringMatching(/results\[2\].*endColumn > startColumn/),
        expect.stringMatching(/results\[3\].*primaryLocationLineHash not-a-hash is not shaped hex:N/),
      ]),
    );
  });

  it('catches two runs of the same tool and category, and a base uri without a trailing slash', () => {
    const log = valid();
    log.runs.push(JSON.parse(JSON.stringify(log.runs[0])) as Sarif.Run);
    log.runs[0]!.originalUriBaseIds = { '%SRCROOT%': { uri: 'file:///repo' } };
    expect(githubProfileProblems(log)).toEqual([
      expect.stringMatching(/runs\[0\]\.originalUriBaseIds\.%SRCROOT%\.uri must end with \//),
      expect.stringMatching(/runs\[1\]: another run has the same tool and category/),
    ]);
  });

  it('is backed by a schema check that catches what it does not', () => {
    const log = valid();
    (runOf(log).results![0] as { level: string }).level = 'fatal';
    expect(sarifSchemaErrors(log).length).toBeGreaterThan(0);
  });
});
