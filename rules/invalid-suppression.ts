import { defineRule } from '../src/check/types.js';
import { INVALID_SUPPRESSION } from '../src/check/suppressions.js';

type MessageId = 'noReason' | 'noRule' | 'unknownRule';

/**
 * Reported by the engine from `boundary-lint-disable-next-line` comments (src/check/suppressions.ts),
 * not from the model: this module gives it an id, a severity, messages and a doc.
 */
export default defineRule<Record<string, never>, MessageId>({
  id: INVALID_SUPPRESSION,
  meta: {
    description: 'A suppression comment without a reason, without a rule, or naming an unknown rule',
    kind: 'problem',
    defaultSeverity: 'error',
    fix: 'always',
    tags: ['suppression'],
    messages: {
      noReason: 'suppression of {rules} gives no reason, so it silences nothing: write ` -- <why>` after the rule ids',
      noRule: 'suppression names no rule: write the rule ids it silences, then ` -- <why>`',
      unknownRule: 'suppression names unknown rule "{rule}"{hint}',
    },
    schema: { type: 'object', additionalProperties: false, properties: {} },
    defaults: {},
  },
  *check() {
    // Findings come from applySuppressions, which sees the comments; the model holds none.
  },
});
