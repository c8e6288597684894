import { describe, expect, it } from 'vitest';
import { scanCargoManifest } from '../../../src/scan/cargo/manifest.js';

describe('scanCargoManifest', () => {
  it('reads every dependency table with kind, target, rename and inheritance', () => {
    const manifest = scanCargoManifest(
      'backend/feed-service/Cargo.toml',
      [
        '[package]',
        'name = "feed-service"',
        'version.workspace = true',
        '',
        '[dependencies]',
        'tokio.workspace = true',
        'proto = { package = "nova-proto", path = "../libs/nova-proto" }',
        'cache = { path = "../libs/cache", optional = true }',
        '',
        '[dev-dependencies]',
        'test-utils = { workspace = true }',
        '',
        '[build-dependencies]',
        'tonic-build = "0.11"',
        '',
        "[target.'cfg(unix)'.dependencies]",
        'unix-socket = { path = "../libs/unix-socket" }',
      ].join('\n'),
    );
    expect(manifest.diagnostics).toEqual([]);
    expect(manifest.package?.name).toBe('feed-service');
    const summary = manifest.dependencies.map((d) => [d.key, d.kind, d.target ?? '', d.package ?? '', d.path ?? '', d.inheritsWorkspace, d.optional, d.location.line]);
    expect(summary).toEqual([
      ['tokio', 'crate', '', '', '', true, false, 6],
      ['proto', 'crate', '', 'nova-proto', '../libs/nova-proto', false, false, 7],
      ['cache', 'crate', '', '', '../libs/cache', false, true, 8],
      ['test-utils', 'crate-dev', '', '', '', true, false, 11],
      ['tonic-build', 'crate-build', '', '', '', false, false, 14],
      ['unix-socket', 'crate', 'cfg(unix)', '', '../libs/unix-socket', false, false, 17],
    ]);
  });

  it('turns a duplicate key into a diagnostic with file and line, not an exception', () => {
    const manifest = scanCargoManifest('svc/Cargo.toml', '[package]\nname = "a"\nname = "b"\n');
    expect(manifest.package).toBeUndefined();
    expect(manifest.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'manifest-parse-error', location: { file: 'svc/Cargo.toml', line: 3, column: 1 } }),
    ]);
  });

  it('reads the workspace section with members, excludes and inherited dependencies', () => {
    const manifest = scanCargoManifest(
      'Cargo.toml',
      '[workspace]\nmembers = [\n  "backend/*-service",\n  # "backend/old",\n]\nexclude = ["backend/legacy"]\n\n[workspace.dependencies]\ndb-pool = { path = "backend/libs/db-pool" }\n',
    );
    expect(manifest.workspace?.members).toEqual(['backend/*-service']);
    expect(manifest.workspace?.exclude).toEqual(['backend/legacy']);
    expect(manifest.workspace?.dependencies.get('db-pool')).toMatchObject({ path: 'backend/libs/db-pool', location: { line: 9, column: 1 } });
  });

  it('reports a dependency whose value is neither string nor table', () => {
    const manifest = scanCargoManifest('a/Cargo.toml', '[package]\nname = "a"\n[dependencies]\nweird = 3\n');
    expect(manifest.dependencies).toEqual([]);
    expect(manifest.diagnostics[0]).toMatchObject({ code: 'manifest-invalid-dependency', location: { line: 4 } });
  });
});
