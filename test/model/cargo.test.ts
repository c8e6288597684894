import { describe, expect, it } from 'vitest';
import { cargoModelOf, crate } from '../helpers/repo.js';

const workspace = (members: string, extra = ''): string => `[workspace]\nmembers = ${members}\nresolver = "2"\n${extra}`;

describe('buildCargoGraph', () => {
  it('expands member globs, classifies by binary target, and resolves path dependencies', () => {
    const model = cargoModelOf({
      'Cargo.toml': workspace('["backend/*-service", "backend/libs/*"]'),
      'backend/user-service/Cargo.toml': crate('user-service', '[dependencies]\ndb-pool = { path = "../libs/db-pool" }\n'),
      'backend/user-service/src/main.rs': 'fn main() {}',
      'backend/libs/db-pool/Cargo.toml': crate('db-pool'),
      'backend/libs/db-pool/src/lib.rs': '',
    });
    expect(model.units.map((u) => [u.name, u.kind, u.path, u.kindSource])).toEqual([
      ['db-pool', 'library', 'backend/libs/db-pool', 'no-binary-target'],
      ['user-service', 'service', 'backend/user-service', 'binary-target'],
    ]);
    expect(model.edges).toEqual([
      {
        from: 'user-service',
        to: 'db-pool',
        kind: 'crate',
        scope: 'prod',
        evidence: [{ file: 'backend/user-service/Cargo.toml', line: 6, column: 1, endLine: 6, endColumn: 8 }],
      },
    ]);
    expect(model.diagnostics).toEqual([]);
  });

  it('resolves `x.workspace = true` through [workspace.dependencies], relative to the workspace root', () => {
    const model = cargoModelOf({
      'Cargo.toml': workspace('["services/*", "libs/*"]', '\n[workspace.dependencies]\ndb = { path = "libs/db-pool", package = "db-pool" }\n'),
      'services/api/Cargo.toml': crate('api', '[dependencies]\ndb.workspace = true\n'),
      'services/api/src/main.rs': '',
      'libs/db-pool/Cargo.toml': crate('db-pool'),
    });
    expect(model.edges).toHaveLength(1);
    expect(model.edges[0]).toMatchObject({ from: 'api', to: 'db-pool', kind: 'crate', rename: 'db' });
    expect(model.edges[0]!.evidence.map((e) => `${e.file}:${e.line}`)).toEqual(['services/api/Cargo.toml:6', 'Cargo.toml:6']);
  });

  it('records dev and build dependencies with their scope, and target/optional details', () => {
    const model = cargoModelOf({
      'Cargo.toml': workspace('["a", "b", "c", "d"]'),
      'a/Cargo.toml': crate(
        'a',
        '[dev-dependencies]\nb = { path = "../b" }\n[build-dependencies]\nc = { path = "../c" }\n' +
          "[target.'cfg(unix)'.dependencies]\nd = { path = \"../d\", optional = true }\n",
      ),
      'b/Cargo.toml': crate('b'),
      'c/Cargo.toml': crate('c'),
      'd/Cargo.toml': crate('d'),
    });
    expect(model.edges.map((e) => [e.to, e.kind, e.scope, e.target ?? '', e.optional ?? false])).toEqual([
      ['b', 'crate-dev', 'test', '', false],
      ['c', 'crate-build', 'prod', '', false],
      ['d', 'crate', 'prod', 'cfg(unix)', true],
    ]);
  });

  it('notes crates that are not members or are excluded, and does not make them units', () => {
    const model = cargoModelOf({
      'Cargo.toml': workspace('["backend/*-service"]', 'exclude = ["backend/legacy-service"]\n'),
      'backend/user-service/Cargo.toml': crate('user-service'),
      'backend/legacy-service/Cargo.toml': crate('legacy-service'),
      'backend/tools/seed/Cargo.toml': crate('seed'),
    });
    expect(model.units.map((u) => u.name)).toEqual(['user-service']);
    expect(model.diagnostics.map((d) => [d.code, d.severity, d.location?.file])).toEqual([
      ['excluded-from-workspace', 'info', 'backend/legacy-service/Cargo.toml'],
      ['not-a-workspace-member', 'info', 'backend/tools/seed/Cargo.toml'],
    ]);
  });

  it('treats a root package that is also a workspace as a member, and keeps separate workspaces apart', () => {
    const model = cargoModelOf({
      'Cargo.toml': crate('nova-integration', '[dev-dependencies]\nuser-service = { path = "backend/user-service" }\n') + workspace('["backend/user-service"]'),
      'backend/user-service/Cargo.toml': crate('user-service'),
      'tools/runner/Cargo.toml': `${crate('runner')}\n[workspace]\n`,
      'tools/runner/src/main.rs': '',
    });
    expect(model.units.map((u) => [u.name, u.workspace])).toEqual([
      ['nova-integration', 'Cargo.toml'],
      ['user-service', 'Cargo.toml'],
      ['runner', 'tools/runner/Cargo.toml'],
    ]);
    expect(model.edges.map((e) => `${e.from}->${e.to}:${e.kind}`)).toEqual(['nova-integration->user-service:crate-dev']);
  });

  it('lets config globs decide service or library, by path or by name', () => {
    const files = {
      'Cargo.toml': workspace('["backend/*", "tools/*"]'),
      'backend/user-service/Cargo.toml': crate('user-service'),
      'backend/user-service/src/main.rs': '',
      'tools/migrate/Cargo.toml': crate('migrate'),
      'tools/migrate/src/main.rs': '',
    };
    const byConfig = cargoModelOf(files, { services: ['backend/*-service'], libraries: undefined });
    expect(byConfig.units.map((u) => [u.name, u.kind, u.kindSource])).toEqual([
      ['user-service', 'service', 'config:services'],
      ['migrate', 'library', 'config:services'],
    ]);
    const byName = cargoModelOf(files, { services: undefined, libraries: ['migrate'] });
    expect(byName.units.map((u) => [u.name, u.kind])).toEqual([
      ['user-service', 'service'],
      ['migrate', 'library'],
    ]);
  });

  it('finds binaries in src/bin and [[bin]] entries', () => {
    const model = cargoModelOf({
      'Cargo.toml': workspace('["a", "b"]'),
      'a/Cargo.toml': crate('a'),
      'a/src/bin/worker.rs': '',
      'a/src/bin/admin/main.rs': '',
      'b/Cargo.toml': crate('b', '[[bin]]\nname = "b-server"\npath = "server.rs"\n'),
    });
    expect(model.units.map((u) => [u.name, u.binaries])).toEqual([
      ['a', ['admin', 'worker']],
      ['b', ['b-server']],
    ]);
  });

  it('keeps registry and git dependencies as external, and diagnoses unresolvable paths', () => {
    const model = cargoModelOf({
      'Cargo.toml': workspace('["gateway"]', '\n[workspace.dependencies]\nsqlx = "0.7"\n'),
      'gateway/Cargo.toml': crate(
        'gateway',
        '[dependencies]\nsqlx.workspace = true\nredis = { git = "https://example.invalid/redis" }\ngone = { path = "../gone" }\nmissing.workspace = true\n',
      ),
    });
    const gateway = model.units[0]!;
    expect(gateway.externalDependencies.map((d) => [d.name, d.source, d.location.line])).toEqual([
      ['gone', 'path', 8],
      ['redis', 'git', 7],
      ['sqlx', 'registry', 6],
    ]);
    expect(model.diagnostics.map((d) => [d.code, d.location?.line])).toEqual([
      ['unresolved-path-dependency', 8],
      ['workspace-dependency-missing', 9],
    ]);
  });

  it('merges the same dependency declared in two tables into one edge with both lines', () => {
    const model = cargoModelOf({
      'Cargo.toml': workspace('["a", "b"]'),
      'a/Cargo.toml': crate('a', '[dependencies]\nb = { path = "../b" }\n[target.\'cfg(unix)\'.dependencies]\nb = { path = "../b", features = ["x"] }\n'),
      'b/Cargo.toml': crate('b'),
    });
    expect(model.edges).toHaveLength(1);
    expect(model.edges[0]!.target).toBeUndefined();
    expect(model.edges[0]!.evidence.map((e) => e.line)).toEqual([6, 8]);
  });
});

describe('workspace membership through path dependencies', () => {
  it('makes a path dependency inside the workspace directory a member, as cargo does', () => {
    const model = cargoModelOf({
      'Cargo.toml': workspace('["app"]'),
      'app/Cargo.toml': crate('app', '[dependencies]\nsub = { path = "sub" }\n'),
      'app/sub/Cargo.toml': crate('sub'),
      'outside/Cargo.toml': crate('outside'),
    });
    expect(model.units.map((u) => [u.name, u.workspace])).toEqual([
      ['app', 'Cargo.toml'],
      ['sub', 'Cargo.toml'],
    ]);
    expect(model.edges.map((e) => `${e.from}->${e.to}`)).toEqual(['app->sub']);
    expect(model.diagnostics.map((d) => d.code)).toEqual(['not-a-workspace-member']);
  });

  it('points member-not-found at the entry in the members array', () => {
    const model = cargoModelOf({ 'Cargo.toml': '[workspace]\nmembers = [\n  "app",\n  "gone",\n]\n', 'app/Cargo.toml': crate('app') });
    expect(model.diagnostics).toEqual([
      expect.objectContaining({ code: 'member-not-found', location: { file: 'Cargo.toml', line: 4, column: 3, endLine: 4, endColumn: 9 } }),
    ]);
  });
});

describe('binary targets', () => {
  it('counts a [[bin]] whose path is src/main.rs once, as cargo does', () => {
    const model = cargoModelOf({
      'Cargo.toml': '[workspace]\nmembers = ["app"]\n',
      'app/Cargo.toml': crate('app', '[[bin]]\nname = "appflowy"\npath = "src/main.rs"\n'),
      'app/src/main.rs': '',
      'app/src/bin/tool.rs': '',
    });
    expect(model.units[0]!.binaries).toEqual(['appflowy', 'tool']);
  });
});
