import { readFileSync, statSync, realpathSync } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import type { Diagnostic } from '../model/types.js';

/** Files larger than this are not read: no hand-written manifest or source file is this big. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

export interface RepositoryFiles {
  /** Absolute, real path of the analysed root. */
  root: string;
  /** Every file below the root that is not ignored: repo-relative POSIX paths, sorted. */
  files: string[];
}

export type ReadResult = { text: string } | { diagnostic: Diagnostic };

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Lists the repository's files. Symbolic links are not followed, so a link loop cannot hang the walk. */
export function discoverFiles(root: string, ignore: readonly string[]): RepositoryFiles {
  const realRoot = realpathSync(root);
  const files = fg.sync('**/*', {
    cwd: realRoot,
    dot: true,
    onlyFiles: true,
    followSymbolicLinks: false,
    ignore: [...ignore],
    suppressErrors: true,
    unique: true,
  });
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { root: realRoot, files };
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
    let text = fatalUtf8.decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { text };
  } catch (error) {
    if (error instanceof TypeError) {
      return { diagnostic: { severity: 'warning', code: 'invalid-utf8', message: 'skipped: the file is not valid UTF-8', location } };
    }
    return { diagnostic: { severity: 'warning', code: 'unreadable-file', message: `skipped: ${(error as Error).message}`, location } };
  }
}
