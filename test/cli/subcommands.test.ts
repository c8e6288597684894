import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { crate, writeRepo } from '../helpers/repo.js';

const repo = {
  'Cargo.toml': '[workspace]\nmembers = ["a-service", "b-service", "libs/shared", "c-service"]\n',
  'a-service/Cargo.toml': crate('a-service', '[dependencies]\nb-service = { path = "../b-service" }\n'),
  'a-service/src/main.rs': '',
  'b-service/Cargo.toml': crate('b-service', '[dependencies]\nshared = { path = "../libs/shared" }\n'),
  'b-service/src/main.rs': '',
  'libs/shared/Cargo.toml': crate('shared', '[dependencies]\na-service = { path = "../../a-service" }\n'),
  'c-service/Cargo.toml': crate('c-service', '[dependencies]\nshared = { path = "../libs/shared" }\n'),
  'c-service/src/main.rs': '',
};

describe('boundary-lint graph', () => {
  it('prints the service graph as mermaid with libraries folded and cycle edges marked', async () => {
    const root = writeRepo(repo);
    const result = await runCli(['graph', '.'], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'flowchart LR',
      '  n_a_service["a-service"]',
      '  n_b_service["b-service"]',
      '  n_c_service["c-service"]',
      '  n_a_service -->|crate| n_b_service',
      '  n_b_service -->|crate| n_a_service',
      '  n_c_service -->|crate| n_a_service',
      '  linkStyle 0,1 stroke:#d00,stroke-width:3px',
      '',
    ]);
  });

  it('shows libraries with --all-units, focuses on one unit, and emits dot and json', async () => {
    const root = writeRepo(repo);
    const dot = await runCli(['graph', '.', '--all-units', '--format', 'dot'], { cwd: root });
    expect(dot.stdout).toContain('"shared" [shape=ellipse];');
    expect(dot.stdout).toContain('"b-service" -> "shared" [label="crate"];');
    const focused = JSON.parse((await runCli(['graph', '.', '--focus', 'c-service', '--format', 'json'], { cwd: root })).stdout);
    expect(focused.nodes.map((n: { name: string }) => n.name)).toEqual(['a-service', 'c-service']);
    expect(focused.links).toEqual([{ from: 'c-service', to: 'a-service', kinds: ['crate'], violating: false, evidence: 2, declaredOnly: false }]);
  });

  it('rejects unknown kinds and units with exit 2 and a hint', async () => {
    const root = writeRepo(repo);
    const kinds = await runCli(['graph', '.', '--kinds', 'crate,grcp'], { cwd: root });
    expect(kinds.code).toBe(2);
    expect(kinds.stderr).toContain('unknown edge kind "grcp"');
    const focus = await runCli(['graph', '.', '--focus', 'c-servce'], { cwd: root });
    expect(focus.code).toBe(2);
    expect(focus.stderr).toContain('did you mean "c-service"?');
  });
});

describe('boundary-lint explain', () => {
  it('lists incoming and outgoing edges with evidence, and services reaching it through libraries', async () => {
    const root = writeRepo(repo);
    const result = await runCli(['explain', 'a-service', '.'], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('a-service (service, a-service, a-service/Cargo.toml)');
    expect(result.stdout).toContain('    crate       → b-service\n        a-service/Cargo.toml:6:1');
    expect(result.stdout).toContain('    crate       ← shared\n        libs/shared/Cargo.toml:6:1');
    expect(result.stdout).toContain('    ← b-service\n        via b-service → shared (crate) at b-service/Cargo.toml:6:1, shared → a-service (crate) at libs/shared/Cargo.toml:6:1');
    expect(result.stdout).toContain('    ← c-service');
  });

  it('accepts a unit path and emits JSON', async () => {
    const root = writeRepo(repo);
    const json = JSON.parse((await runCli(['explain', 'libs/shared', '.', '--format', 'json'], { cwd: root })).stdout);
    expect(json.unit.name).toBe('shared');
    expect(json.incoming.map((e: { from: string }) => e.from)).toEqual(['b-service', 'c-service']);
  });

  it('exits 2 with a suggestion for an unknown unit', async () => {
    const root = writeRepo(repo);
    const result = await runCli(['explain', 'a-servic', '.'], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no unit named "a-servic"; did you mean "a-service"?');
  });
});

describe('boundary-lint graph with source edges', () => {
  it('draws declared-only gRPC links dotted and labels them', async () => {
    const root = writeRepo({
      'Cargo.toml': '[workspace]\nmembers = ["feed-service", "content-service"]\n',
      'proto/feed.proto': 'syntax = "proto3";\npackage nova.feed.v1;\nservice FeedService { rpc GetFeed(A) returns (B); }\n',
      'feed-service/Cargo.toml': crate('feed-service'),
      'feed-service/src/main.rs': 'fn main() { Server::builder().add_service(FeedServiceServer::new(H)); }\n',
      'content-service/Cargo.toml': crate('content-service'),
      'content-service/src/main.rs': 'fn main() { let c = FeedServiceClient::connect(url); }\n',
    });
    const mermaid = (await runCli(['graph', '.'], { cwd: root })).stdout;
    expect(mermaid).toContain('n_content_service -.->|grpc (declared)| n_feed_service');
    const dot = (await runCli(['graph', '.', '--format', 'dot'], { cwd: root })).stdout;
    expect(dot).toContain('"content-service" -> "feed-service" [label="grpc (declared)", style=dotted, color=gray];');
  });
});

describe('graph and explain share the model cache options of the main command', () => {
  it('accept --no-cache, and with --cache-location keep the model there for the next run', async () => {
    const root = writeRepo(repo);
    const noCache = await runCli(['graph', '.', '--no-cache'], { cwd: root });
    expect(noCache.code).toBe(0);
    expect(existsSync(path.join(root, '.boundary-lint-cache'))).toBe(false);
    const cacheDir = path.join(root, 'tmp-cache');
    const explain = await runCli(['explain', 'a-service', '.', '--cache-location', cacheDir], { cwd: root });
    expect(explain.code).toBe(0);
    expect(existsSync(path.join(cacheDir, 'model.json'))).toBe(true);
    const again = await runCli(['graph', '.', '--cache-location', cacheDir], { cwd: root });
    expect(again.stdout).toBe(noCache.stdout);
  });
});
