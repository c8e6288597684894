import type { Unit } from '../types.js';

// Which units and files are TypeScript/JavaScript. Kept apart from sources.ts, which pulls in the
// whole TS fact scanner, so a run can ask "any TS here?" without loading it (src/run/build-model.ts).
const SOURCE = /\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const DECLARATION = /\.d\.(?:ts|mts|cts)$|\.d\.[^/]*\.ts$/;

export function isTsJsPackage(unit: Unit): boolean {
  return (unit.language === 'typescript' || unit.language === 'javascript') && unit.manifest.endsWith('package.json');
}

/** A TS/JS source file, not a declaration file. */
export function isScannedSource(file: string): boolean {
  return SOURCE.test(file) && !DECLARATION.test(file);
}

/** Whether the repository has TS/JS units: npm packages, or units declared by folder that hold TS/JS sources. */
export function hasTsJsUnits(units: readonly Unit[], declaredFiles?: ReadonlyMap<string, readonly string[]>): boolean {
  return units.some(isTsJsPackage) || [...(declaredFiles?.values() ?? [])].some((files) => files.some(isScannedSource));
}
