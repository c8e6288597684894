/** Where rule documentation is published; every help URI is derived from this and the rule id. */
export const DOCS_BASE_URL = 'https://github.com/boundary-lint/boundary-lint/blob/main';

/** Absolute documentation URL of a rule (SARIF helpUri, text `help:` lines). */
export function ruleHelpUri(ruleId: string): string {
  return `${DOCS_BASE_URL}/rules/${ruleId}.md`;
}
