import picomatch from 'picomatch';

/**
 * A matcher for "does any of these globs match this repo-relative path", with picomatch's
 * semantics (`{ dot: true }`) but one regular expression for the whole list. picomatch's own
 * array matcher calls one closure per pattern and builds a result object per call; discovery
 * asks this question for every file and directory of the repository.
 */
export function anyGlobMatcher(patterns: readonly string[]): (path: string) => boolean {
  if (patterns.length === 0) return () => false;
  const sources = patterns.map((pattern) => picomatch.makeRe(pattern, { dot: true }).source);
  const combined = new RegExp(sources.map((source) => `(?:${source})`).join('|'));
  // picomatch also counts a path equal to the pattern text as a match (a glob with no magic).
  const literal = new Set(patterns);
  return (path) => path !== '' && (literal.has(path) || combined.test(path));
}
