import path from 'node:path';

/**
 * Repository-relative POSIX paths: `.` is the root, no leading `./`, no trailing slash. One set
 * of helpers for every stage that maps files to units (Cargo, npm, sqlc, TypeScript sources).
 */
const posix = path.posix;

/** The directory of a repo-relative file (`.` for a file at the root). */
export function dirOf(file: string): string {
  return posix.dirname(file);
}

/** `a/b/../c` -> `a/c`; `.` for the root; undefined for paths that leave the repository. */
export function normalizeRelative(from: string, relative: string): string | undefined {
  const joined = posix.normalize(posix.join(from, relative.replace(/\\/g, '/')));
  if (joined === '..' || joined.startsWith('../') || posix.isAbsolute(joined)) return undefined;
  return joined.replace(/\/$/, '') || '.';
}

/** Whether `target` (a file or directory) is `dir` or lies below it. */
export function isInside(target: string, dir: string): boolean {
  return dir === '.' || target === dir || target.startsWith(`${dir}/`);
}

/**
 * The item whose directory holds `target` most deeply. The root (`.`) is shallower than any
 * other directory, whatever the length of its name: comparing raw path lengths made `.` tie
 * with a one-letter directory such as `a`.
 */
export function deepestContaining<T extends { path: string }>(items: readonly T[], target: string): T | undefined {
  const depth = (dir: string): number => (dir === '.' ? 0 : dir.length + 1);
  let best: T | undefined;
  for (const item of items) if (isInside(target, item.path) && (!best || depth(item.path) > depth(best.path))) best = item;
  return best;
}
