import { PROJECT_URL } from '../util/project-url.js';

/** Base of the published docs (SARIF informationUri). */
export const DOCS_BASE_URL = PROJECT_URL;

/** Absolute documentation URL of a rule (SARIF helpUri, text `help:` lines). */
export function ruleHelpUri(ruleId: string): string {
  return `${DOCS_BASE_URL}/rules/${ruleId}.md`;
}
