import { describe, expect, it } from 'vitest';
import { deepestContaining, dirOf, isInside, normalizeRelative } from '../../src/util/repo-path.js';

describe('repo-relative paths', () => {
  it('dirOf, normalizeRelative and isInside', () => {
    expect(dirOf('Cargo.toml')).toBe('.');
    expect(dirOf('apps/web/package.json')).toBe('apps/web');
    expect(normalizeRelative('apps/web', '../db/')).toBe('apps/db');
    expect(normalizeRelative('apps', '..')).toBe('.');
    expect(normalizeRelative('apps', '../../x')).toBeUndefined();
    expect(normalizeRelative('a', 'b\\c')).toBe('a/b/c');
    expect(isInside('apps/web/src/x.ts', 'apps/web')).toBe(true);
    expect(isInside('apps/web', 'apps/web')).toBe(true);
    expect(isInside('apps/webapp/x.ts', 'apps/web')).toBe(false);
    expect(isInside('anything', '.')).toBe(true);
  });

  it('deepestContaining prefers the deeper directory, and never the root over a one-letter directory', () => {
    const root = { path: '.' };
    const a = { path: 'a' };
    const ab = { path: 'a/b' };
    expect(deepestContaining([root, a], 'a/x.ts')).toBe(a);
    expect(deepestContaining([a, root], 'a/x.ts')).toBe(a);
    expect(deepestContaining([root, ab, a], 'a/b/c.ts')).toBe(ab);
    expect(deepestContaining([root, a], 'z/x.ts')).toBe(root);
    expect(deepestContaining([a], 'z/x.ts')).toBeUndefined();
  });
});
