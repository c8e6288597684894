import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed package's root (where package.json, rules/*.md and schema/ live). */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (existsSync(candidate)) {
      const name = (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name;
      if (name === 'boundary-lint') return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the boundary-lint package root');
    dir = parent;
  }
}

export function packageVersion(root = packageRoot()): string {
  return (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/** A hash of the running code, so a cache written by another build of the tool is never reused. */
export function buildFingerprint(): string {
  const self = fileURLToPath(import.meta.url);
  return createHash('sha256').update(readFileSync(self)).update(packageVersion()).digest('hex').slice(0, 16);
}
