import { defineRule } from '../src/check/types.js';
import { UNUSED_SUPPRESSION } from '../src/check/suppressions.js';

type MessageId = 'unused' | 'notPrimary';

/**
 * Reported by the engine from `boundary-lint-disable-next-line` comments (src/check/suppressions.ts),
 * not from the model: this module gives it an id, a severity, a message and a doc.
 */
export default defineRule<Record<string, never>, MessageId>({
  id: UNUSED_SUPPRESSION,
  meta: {
    description: 'A suppression comment that silences no finding',
    kind: 'suggestion',
    defaultSeverity: 'warning',
    fix: 'always',
    tags: ['suppression'],
    messages: {
      unused: 'suppression of {rule} silences nothing: no {rule} finding starts on the next line; remove it',
      notPrimary:
        'suppression of {rule} silences nothing: the next line is evidence of the {rule} finding that starts at {at}; a suppression goes above the line where a finding starts',
    },
    schema: { type: 'object', additionalProperties: false, properties: {} },
    defaults: {},
  },
  *check() {
    // Findings come from applySuppressions, which sees the comments; the model holds none.
  },
});
