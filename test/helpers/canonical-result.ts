import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineRule, type Finding } from '../../src/check/types.js';
import type { Model } from '../../src/model/types.js';
import type { ReportContext, ReportInput, RuleHelp } from '../../src/report/types.js';
import { markdownToText } from '../../src/util/text.js';
import { rules as registry } from '../../rules/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const REPORT_FIXTURES = path.join(repoRoot, 'fixtures', 'report');
/** The files the canonical result's locations point at, so code frames and line hashes are real. */
export const CANONICAL_SOURCES = path.join(REPORT_FIXTURES, 'sources');
/** Root the canonical result claims; reporters must never read it. */
export const CANONICAL_ROOT = '/repo';

const noFindings = function* () {};

/**
 * A rule that does not exist in the registry but whose findings the canonical result holds, so
 * every reporter is exercised with a rule outside the built-in set too. (The canonical
 * no-cross-service-db findings use the real rule's descriptor.)
 */
export const SYNTHETIC_RULES = [
  defineRule({
    id: 'no-unowned-table',
    meta: {
      description: 'Every table has exactly one owning service',
      kind: 'suggestion',
      defaultSeverity: 'warning',
      fix: 'none',
      tags: ['database', 'ownership'],
      messages: {
        unowned: 'table {table} has no owning service; add it to "tables" in boundary.config.json',
        unused: 'table "{table}" is created but no service reads or writes it',
      },
      schema: { type: 'object', additionalProperties: false, properties: {} },
      defaults: {},
    },
    check: noFindings,
  }),
];

interface CanonicalFile {
  model: Model;
  findings: Finding[];
  stats: ReportInput['stats'];
}

/** The canonical result every reporter renders: stored model and findings, rule metadata from the registry. */
export function canonicalInput(): ReportInput {
  const stored = JSON.parse(readFileSync(path.join(REPORT_FIXTURES, 'canonical.json'), 'utf8')) as CanonicalFile;
  const rules = [...registry, ...SYNTHETIC_RULES].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { root: CANONICAL_ROOT, model: stored.model, findings: stored.findings, rules, stats: stored.stats };
}

/** rules/<id>.md when it exists, else a stub built from the rule's description. */
export function canonicalRuleHelp(ruleId: string): RuleHelp {
  const file = path.join(repoRoot, 'rules', `${ruleId}.md`);
  const description = SYNTHETIC_RULES.find((rule) => rule.id === ruleId)?.meta.description ?? 'No description.';
  const markdown = existsSync(file) ? readFileSync(file, 'utf8') : `# ${ruleId}\n\n## What it finds\n\n${description}.\n`;
  return { markdown, text: markdownToText(markdown) };
}

/** Reads a repo-relative file of the canonical sources; undefined when absent, as in the CLI. */
export function readCanonicalSource(file: string): string | undefined {
  const absolute = path.join(CANONICAL_SOURCES, ...file.split('/'));
  return existsSync(absolute) ? readFileSync(absolute, 'utf8') : undefined;
}

/** A deterministic context for golden files: no colour, no environment, fixed version. */
export function canonicalContext(overrides: Partial<ReportContext> = {}): ReportContext {
  return {
    cwd: CANONICAL_ROOT,
    color: false,
    toolName: 'boundary-lint',
    toolVersion: '0.0.0-test',
    readSource: readCanonicalSource,
    ruleHelp: canonicalRuleHelp,
    fixSuggestions: false,
    verbose: false,
    includeEnvironment: false,
    ...overrides,
  };
}
