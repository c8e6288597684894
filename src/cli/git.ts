import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * The edge between boundary-lint and git: which files a change touches. git runs as a
 * subprocess without a shell; every path comes back NUL-separated (`-z`), so names with spaces,
 * quotes or newlines survive. What to do with the files is decided elsewhere (check/report-scope).
 */

/** git is missing, the directory is not in a repository, or a ref does not resolve: exit 2. */
export class GitError extends Error {}

function git(args: readonly string[], cwd: string): string {
  try {
    return execFileSync('git', [...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string; status?: number | null };
    if (failure.code === 'ENOENT') throw new GitError('git is not installed or not on PATH');
    const detail = (failure.stderr ?? '').trim().split('\n')[0] ?? '';
    throw new GitError(`git ${args[0]} failed${detail ? `: ${detail}` : ''}`);
  }
}

function nulSeparated(output: string): string[] {
  return output.split('\0').filter((entry) => entry !== '');
}

/** The real path of the working tree that contains `dir`. */
export function gitTopLevel(dir: string): string {
  let top: string;
  try {
    top = git(['rev-parse', '--show-toplevel'], dir).trim();
  } catch (error) {
    if (error instanceof GitError && !error.message.startsWith('git is not installed')) {
      throw new GitError(`${dir} is not inside a git work tree`);
    }
    throw error;
  }
  if (top === '') throw new GitError(`${dir} is not inside a git work tree (a bare repository or .git directory?)`);
  return realpathSync(top);
}

/** Staged additions, copies, modifications and renames (new names), relative to the top level. */
export function stagedFiles(top: string): string[] {
  return nulSeparated(git(['diff', '--cached', '--name-only', '--diff-filter=ACMR', '-z'], top));
}

/**
 * What a branch changes against `ref`, as a reviewer sees it: files changed between the merge
 * base of `ref` and HEAD and the working tree (committed, staged and unstaged changes), plus
 * untracked files git does not ignore. Relative to the top level, sorted, without duplicates.
 */
export function changedSinceFiles(top: string, ref: string): string[] {
  if (ref.startsWith('-')) throw new GitError(`"${ref}" is not a git ref`);
  try {
    git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], top);
  } catch {
    throw new GitError(`unknown git ref "${ref}" (in a CI checkout, fetch it first, e.g. actions/checkout with fetch-depth: 0)`);
  }
  let base: string;
  try {
    base = git(['merge-base', ref, 'HEAD'], top).trim();
  } catch {
    throw new GitError(`"${ref}" and HEAD have no common ancestor (a shallow clone? fetch more history, e.g. fetch-depth: 0)`);
  }
  const changed = nulSeparated(git(['diff', '--name-only', '--diff-filter=ACMR', '-z', base], top));
  const untracked = nulSeparated(git(['ls-files', '--others', '--exclude-standard', '-z'], top));
  return [...new Set([...changed, ...untracked])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The real path of a file, or of its nearest existing ancestor joined with the rest (deleted files). */
function realPathOf(absolute: string): string {
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      return path.join(realpathSync(current), ...missing.reverse());
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return absolute;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

/**
 * Maps paths (absolute, or relative to `base`) to POSIX paths relative to the analysed root;
 * paths outside the root are returned separately (they cannot hold evidence).
 */
export function relativeToRoot(files: readonly string[], base: string, root: string): { inside: string[]; outside: string[] } {
  const inside: string[] = [];
  const outside: string[] = [];
  for (const file of files) {
    const relative = path.relative(root, realPathOf(path.resolve(base, file)));
    if (relative === '' || relative.startsWith(`..${path.sep}`) || relative === '..' || path.isAbsolute(relative)) outside.push(file);
    else inside.push(relative.split(path.sep).join('/'));
  }
  return { inside, outside };
}

/** Where the report scope comes from (the analysis always covers the whole root). */
export type ChangeSource = { kind: 'staged' } | { kind: 'since'; ref: string } | { kind: 'files'; files: string[] };

/**
 * The changed files of a `ChangeSource`, relative to the analysed root (`root`, absolute);
 * `--files` paths are taken relative to `cwd` (lint-staged passes absolute ones).
 */
export function changedFilesFor(source: ChangeSource, root: string, cwd: string): string[] {
  const realRoot = realpathSync(root);
  if (source.kind === 'files') return relativeToRoot(source.files, cwd, realRoot).inside;
  const top = gitTopLevel(realRoot);
  const files = source.kind === 'staged' ? stagedFiles(top) : changedSinceFiles(top, source.ref);
  return relativeToRoot(files, top, realRoot).inside;
}
