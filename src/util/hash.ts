import { createHash } from 'node:crypto';

/** Short stable hex digest of a list of facts (fingerprints, cache keys). */
export function digest(parts: readonly string[], length = 32): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, length);
}
