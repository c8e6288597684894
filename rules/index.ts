import type { Rule } from '../src/check/types.js';
import ambiguousOwnership from './ambiguous-ownership.js';
import forbiddenDependency from './forbidden-dependency.js';
import invalidSuppression from './invalid-suppression.js';
import noCrossServiceDb from './no-cross-service-db.js';
import noCycles from './no-cycles.js';
import unownedTable from './unowned-table.js';
import unusedSuppression from './unused-suppression.js';

/** Every built-in rule, sorted by id. Adding a rule: its file, its doc, its test, one line here. */
export const rules = [ambiguousOwnership, forbiddenDependency, invalidSuppression, noCrossServiceDb, noCycles, unownedTable, unusedSuppression] as const satisfies readonly Rule<any, any>[];
