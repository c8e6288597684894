import type { Rule } from '../src/check/types.js';
import noCycles from './no-cycles.js';

/** Every built-in rule, sorted by id. Adding a rule: its file, its doc, its test, one line here. */
export const rules = [noCycles] as const satisfies readonly Rule<any, any>[];
