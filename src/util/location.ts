/** Structural twin of the model's Location, so util stays a leaf. */
interface Position {
  file: string;
  line: number;
  column: number;
}

/** Total order on locations: path, then line, then column. */
export function compareLocations(a: Position, b: Position): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  return a.column - b.column;
}

export function formatLocation(loc: Position): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

/** Code-point-order string comparison, independent of the machine's locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
