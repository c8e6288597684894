import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { anyGlobMatcher } from '../../src/util/glob.js';

const patterns = [
  ['**/target/**'],
  ['.git/**', '**/node_modules/**', 'dist/**'],
  ['**/*.generated.rs', 'services/*/tests/**'],
  ['!services/**'],
  ['docs/{a,b}/*.md', 'vendor/**/[abc]*.rs'],
  ['README.md'],
  ['**/.cache/**', '**/fixtures/**/*.sql'],
  ['(weird)/**', 'a+b/**'],
];
const paths = [
  'target', 'target/debug/x.rs', 'crates/a/target/x', 'crates/target.rs', '.git', '.git/HEAD', 'node_modules/x/index.js',
  'a/node_modules', 'a/node_modules/b', 'dist', 'dist/x.mjs', 'distx/y', 'src/foo.generated.rs', 'src/foo.rs',
  'services/a/tests/it.rs', 'services/a/src/tests/it.rs', 'services/x', 'libs/y', 'docs/a/x.md', 'docs/c/x.md',
  'vendor/q/r/apple.rs', 'vendor/q/r/zebra.rs', 'README.md', 'x/README.md', '.cache/a', 'a/.cache/b',
  'fixtures/a/b.sql', 'x/fixtures/q.sql', '(weird)/a', 'a+b/c', 'ab/c', 'target/\u0000', 'a/b/\u0000',
];

describe('anyGlobMatcher', () => {
  it('agrees with picomatch array matchers (dot: true) on every pattern list and path', () => {
    for (const list of patterns) {
      const reference = picomatch(list, { dot: true });
      const fast = anyGlobMatcher(list);
      for (const path of paths) expect([list, path, fast(path)]).toEqual([list, path, reference(path)]);
    }
  });

  it('matches nothing for an empty list or an empty path', () => {
    expect(anyGlobMatcher([])('a')).toBe(false);
    expect(anyGlobMatcher(['**'])('')).toBe(false);
    expect(anyGlobMatcher(['**'])('a/b')).toBe(true);
  });
});
