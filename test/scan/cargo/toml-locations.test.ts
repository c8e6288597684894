import { describe, expect, it } from 'vitest';
import { locateTomlKeys } from '../../../src/scan/cargo/toml-locations.js';

describe('locateTomlKeys', () => {
  const text = [
    '[package]',                                        // 1
    'name = "content-service"',                         // 2
    'description = """',                                // 3
    '[dependencies] inside a multi-line string',       // 4
    'fake = { path = "../nope" }',                      // 5
    '"""',                                              // 6
    '',                                                 // 7
    '[dependencies]',                                   // 8
    '  db-pool.workspace = true   # inherited',         // 9
    'proto = { package = "nova-proto", path = "../libs/nova-proto" }', // 10
    'tonic = [',                                        // 11
    '  "not-a-key = 1",',                               // 12
    ']',                                                // 13
    '"quoted.key" = "1"',                               // 14
    "[target.'cfg(unix)'.dependencies]",                // 15
    'nix = { path = "../nix" }',                        // 16
    '[dependencies.feed-cache]',                        // 17
    'path = "../libs/feed-cache"',                      // 18
    '[[bin]]',                                          // 19
    'name = "a"',                                       // 20
    '[[bin]]',                                          // 21
    'name = "b"',                                       // 22
  ].join('\n');
  const locations = locateTomlKeys(text);

  it('finds plain and dotted keys with their column span', () => {
    expect(locations.get(['package', 'name'])).toEqual({ line: 2, column: 1, endColumn: 5 });
    expect(locations.get(['dependencies', 'db-pool'])).toEqual({ line: 9, column: 3, endColumn: 20 });
    expect(locations.get(['dependencies', 'db-pool', 'workspace'])).toEqual({ line: 9, column: 3, endColumn: 20 });
    expect(locations.get(['dependencies', 'proto'])?.line).toBe(10);
  });

  it('does not mistake the content of multi-line strings and arrays for keys or headers', () => {
    expect(locations.get(['dependencies', 'fake'])).toBeUndefined();
    expect(locations.get(['dependencies', 'not-a-key'])).toBeUndefined();
    expect(locations.get(['dependencies'])?.line).toBe(8);
  });

  it('handles quoted keys, quoted header segments and table-form dependencies', () => {
    expect(locations.get(['dependencies', 'quoted.key'])?.line).toBe(14);
    expect(locations.get(['target', 'cfg(unix)', 'dependencies', 'nix'])?.line).toBe(16);
    expect(locations.get(['dependencies', 'feed-cache'])).toEqual({ line: 17, column: 1, endColumn: 26 });
    expect(locations.find(['dependencies', 'feed-cache', 'path'])?.line).toBe(18);
  });

  it('numbers arrays of tables', () => {
    expect(locations.get(['bin', '0', 'name'])?.line).toBe(20);
    expect(locations.get(['bin', '1', 'name'])?.line).toBe(22);
  });
});
