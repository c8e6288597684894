import type { RuleSetting } from '../config/resolve.js';
import type { Location, Model } from '../model/types.js';
import { digest } from '../util/hash.js';
import { compareLocations, compareStrings } from '../util/location.js';
import type { Finding, Rule, Severity } from './types.js';

export interface CheckOptions {
  includeTests: boolean;
  /** Rule id -> where its `rules.<id>` config entry is written (repo-relative). */
  configLocations?: Readonly<Record<string, Location>>;
  /** Repo-relative path of the config file, when it lies in the analysed root. */
  configFile?: string;
}

function toFindingSeverity(severity: RuleSetting['severity']): Severity | undefined {
  switch (severity) {
    case 'off':
      return undefined;
    case 'warn':
      return 'warning';
    default:
      return severity;
  }
}

/** Fills `{name}` placeholders from `data`. */
export function formatMessage(template: string, data: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in data ? String(data[key]) : whole));
}

/** Order of findings in every output: path, line, column, then rule id and message. */
export function compareFindings(a: Finding, b: Finding): number {
  return compareLocations(a.location, b.location) || compareStrings(a.ruleId, b.ruleId) || compareStrings(a.message, b.message);
}

/** Runs every enabled rule over the model and returns its findings, sorted. */
export function runRules(
  model: Model,
  rules: readonly Rule<any, string>[],
  settings: Record<string, RuleSetting>,
  options: CheckOptions,
): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    const setting = settings[rule.id];
    const severity = toFindingSeverity(setting?.severity ?? 'off');
    if (!severity || !setting) continue;
    const configLocation = options.configLocations?.[rule.id];
    const context = {
      model,
      options: setting.options,
      includeTests: options.includeTests,
      ...(configLocation ? { configLocation } : {}),
      ...(options.configFile !== undefined ? { configFile: options.configFile } : {}),
    };
    for (const draft of rule.check(context)) {
      const template = (rule.meta.messages as Record<string, string>)[draft.messageId];
      if (template === undefined) throw new Error(`rule ${rule.id} produced unknown messageId ${draft.messageId}`);
      findings.push({
        ruleId: rule.id,
        severity: draft.severity ?? severity,
        messageId: draft.messageId,
        message: formatMessage(template, draft.data),
        location: draft.location,
        related: draft.related ?? [],
        fingerprint: digest([rule.id, draft.messageId, ...draft.identity]),
        data: draft.data,
        suggestions: draft.suggestions ?? [],
      });
    }
  }
  return findings.sort(compareFindings);
}
