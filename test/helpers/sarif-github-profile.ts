import type * as Sarif from 'sarif';

// What GitHub code scanning needs from a SARIF file beyond the schema (shared/docs/conventions.md §2, §3.2).
// Neither ajv nor the sarif-multitool catches most of these, so an upload could be rejected or show broken
// alerts even though the file "validates".

const MAX_RUNS = 20;
const MAX_RESULTS_PER_RUN = 25_000;
const MAX_RULES_PER_RUN = 25_000;
const MAX_TAGS = 20;
const MAX_NAME = 255;
const MAX_DESCRIPTION = 1024;
const MAX_LOCATIONS_PER_RESULT = 1;

/** `[text](id)` with an unescaped opening bracket (SARIF escapes literal brackets as `\[`). */
const EMBEDDED_LINK = /(?<!\\)\[((?:\\.|[^\]\\])*)\]\((\d+)\)/g;

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

function checkUri(uri: unknown, where: string, problems: string[]): void {
  if (!isNonEmptyString(uri)) {
    problems.push(`${where}: uri is missing or empty`);
    return;
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri)) problems.push(`${where}: uri ${uri} is absolute; use a repo-relative path`);
  if (uri.startsWith('/')) problems.push(`${where}: uri ${uri} starts with /`);
  if (uri.includes('\\')) problems.push(`${where}: uri ${uri} contains a backslash`);
  if (/\s/.test(uri)) problems.push(`${where}: uri ${uri} contains raw whitespace (percent-encode it)`);
  if (uri.split('/').some((segment) => segment === '..' || segment === '.')) problems.push(`${where}: uri ${uri} has a . or .. segment`);
  if (/%(?![0-9A-Fa-f]{2})/.test(uri)) problems.push(`${where}: uri ${uri} has a stray % (not percent-encoding)`);
  // eslint-disable-next-line no-control-regex
  if (/[^\u0021-\u007e]/.test(uri)) problems.push(`${where}: uri ${uri} has non-ASCII or control characters (percent-encode them)`);
}

function checkRegion(region: Sarif.Region | undefined, where: string, problems: string[]): void {
  if (!region) {
    problems.push(`${where}: region is missing`);
    return;
  }
  for (const key of ['startLine', 'startColumn', 'endLine', 'endColumn'] as const) {
    const value = region[key];
    if (!Number.isInteger(value) || (value as number) < 1) problems.push(`${where}: region.${key} must be a positive integer (GitHub requires all four)`);
  }
  const { startLine, startColumn, endLine, endColumn } = region;
  if (startLine !== undefined && endLine !== undefined && endLine < startLine) problems.push(`${where}: region ends before it starts`);
  if (startLine === endLine && startColumn !== undefined && endColumn !== undefined && endColumn <= startColumn) {
    problems.push(`${where}: region on one line needs endColumn > startColumn (endColumn is exclusive)`);
  }
}

function checkPhysicalLocation(location: Sarif.Location | undefined, where: string, problems: string[]): void {
  const physical = location?.physicalLocation;
  if (!physical) {
    problems.push(`${where}: physicalLocation is missing`);
    return;
  }
  checkUri(physical.artifactLocation?.uri, `${where}.physicalLocation.artifactLocation`, problems);
  checkRegion(physical.region, `${where}.physicalLocation.region`, problems);
}

function checkLength(text: unknown, max: number, where: string, problems: string[], required: boolean): void {
  if (!isNonEmptyString(text)) {
    if (required) problems.push(`${where} is required and must not be empty`);
    return;
  }
  if (text.length > max) problems.push(`${where} is ${text.length} characters; GitHub allows ${max}`);
}

function isAbsoluteHttpUri(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function checkRule(rule: Sarif.ReportingDescriptor, where: string, problems: string[]): void {
  if (!isNonEmptyString(rule.id)) problems.push(`${where}.id is required and must not be empty`);
  checkLength(rule.name, MAX_NAME, `${where}.name`, problems, false);
  checkLength(rule.shortDescription?.text, MAX_DESCRIPTION, `${where}.shortDescription.text`, problems, true);
  checkLength(rule.fullDescription?.text, MAX_DESCRIPTION, `${where}.fullDescription.text`, problems, true);
  if (!isNonEmptyString(rule.help?.text)) problems.push(`${where}.help.text is required and must not be empty`);
  if (rule.helpUri !== undefined && !isAbsoluteHttpUri(rule.helpUri)) problems.push(`${where}.helpUri ${rule.helpUri} is not an absolute http(s) URI`);
  const properties = rule.properties ?? {};
  if ('security-severity' in properties) problems.push(`${where}.properties has security-severity, which turns results into security alerts`);
  const tags = properties.tags ?? [];
  if (tags.length > MAX_TAGS) problems.push(`${where}.properties.tags has ${tags.length} tags; GitHub allows ${MAX_TAGS}`);
  const level = rule.defaultConfiguration?.level;
  if (level !== undefined && !['note', 'warning', 'error'].includes(level)) problems.push(`${where}.defaultConfiguration.level ${level} is not note/warning/error`);
}

function checkResult(result: Sarif.Result, rules: readonly Sarif.ReportingDescriptor[], where: string, problems: string[]): void {
  if (!isNonEmptyString(result.ruleId)) problems.push(`${where}.ruleId is missing`);
  if (result.ruleIndex === undefined) {
    problems.push(`${where}.ruleIndex is missing`);
  } else if (rules[result.ruleIndex]?.id !== result.ruleId) {
    problems.push(`${where}: ruleId ${result.ruleId} is not rules[${result.ruleIndex}].id (${rules[result.ruleIndex]?.id ?? 'no such rule'})`);
  }
  const text = result.message?.text;
  if (!isNonEmptyString(text)) problems.push(`${where}.message.text is required and must not be empty`);

  const locations = result.locations ?? [];
  if (locations.length !== MAX_LOCATIONS_PER_RESULT) problems.push(`${where}: has ${locations.length} locations; exactly 1 is expected (GitHub shows only the first)`);
  locations.forEach((location, i) => checkPhysicalLocation(location, `${where}.locations[${i}]`, problems));

  const related = result.relatedLocations ?? [];
  const ids = new Set<number>();
  related.forEach((location, i) => {
    const at = `${where}.relatedLocations[${i}]`;
    if (location.id === undefined) problems.push(`${at}.id is missing`);
    else if (ids.has(location.id)) problems.push(`${at}.id ${location.id} is not unique`);
    else ids.add(location.id);
    checkPhysicalLocation(location, at, problems);
  });
  if (isNonEmptyString(text)) {
    for (const match of text.matchAll(EMBEDDED_LINK)) {
      const id = Number(match[2]);
      if (!ids.has(id)) problems.push(`${where}.message.text links [${match[1]}](${id}), but no relatedLocations entry has id ${id}`);
    }
  }

  const fingerprints = result.partialFingerprints ?? {};
  for (const [key, value] of Object.entries(fingerprints)) {
    if (key === 'primaryLocationLineHash' && !/^[0-9a-f]+:\d+$/.test(value)) {
      problems.push(`${where}.partialFingerprints.primaryLocationLineHash ${value} is not shaped hex:N`);
    }
  }
}

/** Everything in `log` that GitHub code scanning would reject or show wrongly; empty when none. */
export function githubProfileProblems(log: Sarif.Log): string[] {
  const problems: string[] = [];
  if (!isNonEmptyString(log.$schema)) problems.push('$schema is required');
  if (log.version !== '2.1.0') problems.push(`version must be 2.1.0, not ${String(log.version)}`);
  const runs = log.runs ?? [];
  if (!Array.isArray(log.runs) || runs.length === 0) problems.push('runs is required and must not be empty');
  if (runs.length > MAX_RUNS) problems.push(`${runs.length} runs; GitHub allows ${MAX_RUNS}`);

  const categories = new Set<string>();
  runs.forEach((run, r) => {
    const where = `runs[${r}]`;
    const driver = run.tool?.driver;
    if (!isNonEmptyString(driver?.name)) problems.push(`${where}.tool.driver.name is required`);
    const id = run.automationDetails?.id ?? '';
    const category = `${driver?.name ?? ''}\u0000${id.includes('/') ? id.slice(0, id.lastIndexOf('/')) : ''}`;
    if (categories.has(category)) problems.push(`${where}: another run has the same tool and category (uploads fail since June 2025)`);
    categories.add(category);

    const rules = driver?.rules ?? [];
    if (!Array.isArray(driver?.rules)) problems.push(`${where}.tool.driver.rules is required`);
    if (rules.length > MAX_RULES_PER_RUN) problems.push(`${where}: ${rules.length} rules; GitHub allows ${MAX_RULES_PER_RUN}`);
    const ruleIds = new Set<string>();
    rules.forEach((rule, i) => {
      if (ruleIds.has(rule.id)) problems.push(`${where}.tool.driver.rules[${i}]: rule id ${rule.id} is not unique`);
      ruleIds.add(rule.id);
      checkRule(rule, `${where}.tool.driver.rules[${i}]`, problems);
    });

    if (!Array.isArray(run.results)) problems.push(`${where}.results is required`);
    const results = run.results ?? [];
    if (results.length > MAX_RESULTS_PER_RUN) problems.push(`${where}: ${results.length} results; GitHub allows ${MAX_RESULTS_PER_RUN}`);
    results.forEach((result, i) => checkResult(result, rules, `${where}.results[${i}]`, problems));

    for (const [name, base] of Object.entries(run.originalUriBaseIds ?? {})) {
      if (base.uri !== undefined && !base.uri.endsWith('/')) problems.push(`${where}.originalUriBaseIds.${name}.uri must end with /`);
    }
  });
  return problems;
}
