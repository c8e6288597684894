import { isUtf8 } from 'node:buffer';
import { readdirSync, readFileSync, statSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../model/types.js';
import { anyGlobMatcher } from '../util/glob.js';

/** Files larger than this are not read: no hand-written manifest or source file is this big. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

export interface RepositoryFiles {
  /** Absolute, real path of the analysed root. */
  root: string;
  /** Every file below the root that is not ignored: repo-relative POSIX paths, sorted. */
  files: string[];
  /** Symbolic links that were not followed, unreadable directories. */
  diagnostics: Diagnostic[];
}

export type ReadResult = { text: string } | { diagnostic: Diagnostic };

/**
 * Lists the repository's files, pruning ignored directories without entering them. Symbolic
 * links are not followed (a link loop cannot hang the walk); each one is noted.
 */
export function discoverFiles(root: string, ignore: readonly string[]): RepositoryFiles {
  const realRoot = realpathSync(root);
  const isIgnored = anyGlobMatcher(ignore);
  // A directory is pruned when anything inside it would be ignored (`dist/**`, `**/target/**`).
  const isIgnoredDirectory = (dir: string): boolean => isIgnored(dir) || isIgnored(`${dir}/\u0000`);
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const pending: string[] = [''];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    let entries;
    try {
      entries = readdirSync(dir === '' ? realRoot : path.join(realRoot, dir), { withFileTypes: true });
    } catch (error) {
      diagnostics.push({ severity: 'warning', code: 'unreadable-directory', message: `skipped: ${(error as Error).message}`, location: { file: dir || '.', line: 1, column: 1 } });
      continue;
    }
    for (const entry of entries) {
      const relative = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!isIgnoredDirectory(relative)) pending.push(relative);
      } else if (entry.isFile()) {
        if (!isIgnored(relative)) files.push(relative);
      } else if (entry.isSymbolicLink() && !isIgnored(relative)) {
        diagnostics.push({
          severity: 'info',
          code: 'symlink-not-followed',
          message: 'symbolic link not followed; what it points to is analysed only where it lies inside the repository',
          location: { file: relative, line: 1, column: 1 },
        });
      }
    }
  }
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { root: realRoot, files, diagnostics };
}

/** Reads a repo-relative file as UTF-8 text, or says why it cannot be used. */
export function readRepositoryText(root: string, file: string): ReadResult {
  const absolute = path.join(root, file);
  const location = { file, line: 1, column: 1 };
  try {
    const size = statSync(absolute).size;
    if (size > MAX_FILE_BYTES) {
      return { diagnostic: { severity: 'warning', code: 'file-too-large', message: `skipped: ${size} bytes is over the ${MAX_FILE_BYTES}-byte limit`, location } };
    }
    const bytes = readFileSync(absolute);
    if (bytes.includes(0)) {
      return { diagnostic: { severity: 'warning', code: 'binary-file', message: 'skipped: the file contains NUL bytes, so it is not text', location } };
    }
    if (!isUtf8(bytes)) {
      return { diagnostic: { severity: 'warning', code: 'invalid-utf8', message: 'skipped: the file is not valid UTF-8', location } };
    }
    let text = bytes.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { text };
  } catch (error) {
    return { diagnostic: { severity: 'warning', code: 'unreadable-file', message: `skipped: ${(error as Error).message}`, location } };
  }
}
