import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/check/run-rules.js';
import { resolveConfig } from '../../src/config/resolve.js';
import noCycles from '../../rules/no-cycles.js';
import { rules } from '../../rules/index.js';
import { cargoModelOf, crate, type FileMap } from '../helpers/repo.js';
import { sqlModel, unit } from '../helpers/sql-model.js';
import type { Edge, Location, Model, Topic } from '../../src/model/types.js';

function findings(files: FileMap, rulesConfig: Record<string, unknown> = {}, includeTests = false) {
  const config = resolveConfig({ rules: rulesConfig }, rules);
  return runRules(cargoModelOf(files), [noCycles], config.rules, { includeTests });
}

const ws = (members: string[]): string => `[workspace]\nmembers = ${JSON.stringify(members)}\n`;
const dep = (name: string, path: string, table = 'dependencies'): string => `[${table}]\n${name} = { path = "${path}" }\n`;

// Services have binaries; libraries do not.
const mediaMerge: FileMap = {
  'Cargo.toml': ws(['media-service', 'video-service', 'libs/media-upload', 'libs/test-utils', 'libs/db-pool']),
  'media-service/Cargo.toml': crate('media-service', dep('video-service', '../video-service')),
  'media-service/src/main.rs': '',
  'video-service/Cargo.toml': crate('video-service', dep('media-upload', '../libs/media-upload')),
  'video-service/src/main.rs': '',
  'libs/media-upload/Cargo.toml': crate('media-upload', dep('media-service', '../../media-service')),
  'libs/db-pool/Cargo.toml': crate('db-pool', dep('test-utils', '../test-utils', 'dev-dependencies')),
  'libs/test-utils/Cargo.toml': crate('test-utils', dep('db-pool', '../db-pool')),
};

describe('no-cycles', () => {
  it('reports a service cycle through a library once, with every hop as related evidence', () => {
    const [finding, ...rest] = findings(mediaMerge);
    expect(rest).toEqual([]);
    expect(finding!.message).toBe('dependency cycle between services: media-service → video-service → media-service');
    expect(finding!.location).toMatchObject({ file: 'media-service/Cargo.toml', line: 6, column: 1 });
    expect(finding!.related.map((r) => `${r.location.file}:${r.location.line} ${r.message}`)).toEqual([
      'media-service/Cargo.toml:6 media-service → video-service (crate)',
      'video-service/Cargo.toml:6 video-service → media-upload (crate) (part of video-service → media-service through media-upload)',
      'libs/media-upload/Cargo.toml:6 media-upload → media-service (crate) (part of video-service → media-service through media-upload)',
    ]);
  });

  it('has a fingerprint that does not move with line numbers', () => {
    const shifted = { ...mediaMerge, 'media-service/Cargo.toml': crate('media-service', `# comment\n\n${dep('video-service', '../video-service')}`) };
    const [before] = findings(mediaMerge);
    const [after] = findings(shifted);
    expect(after!.location.line).toBe(8);
    expect(after!.fingerprint).toBe(before!.fingerprint);
  });

  it('finds the dev-dependency cycle among libraries only with between: units and --include-tests', () => {
    const unitsConfig = { 'no-cycles': ['error', { between: 'units' }] };
    const prodOnly = findings(mediaMerge, unitsConfig, false).map((f) => f.data.path);
    expect(prodOnly).toEqual(['media-service → video-service → media-upload → media-service']);
    const withTests = findings(mediaMerge, unitsConfig, true).map((f) => f.data.path);
    expect(withTests).toEqual([
      'db-pool → test-utils → db-pool',
      'media-service → video-service → media-upload → media-service',
    ]);
    // In the service graph the library cycle is invisible even with tests.
    expect(findings(mediaMerge, {}, true).map((f) => f.data.path)).toEqual(['media-service → video-service → media-service']);
  });

  it('ignores edge kinds that are not configured', () => {
    expect(findings(mediaMerge, { 'no-cycles': ['error', { kinds: ['grpc'] }] })).toEqual([]);
  });

  it('reports an acyclic workspace as clean', () => {
    const clean = { ...mediaMerge, 'libs/media-upload/Cargo.toml': crate('media-upload') };
    expect(findings(clean)).toEqual([]);
  });

  it('caps the cycles of a dense group and says so in a summary finding', () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const files: FileMap = { 'Cargo.toml': ws(names) };
    for (const name of names) {
      const deps = names.filter((n) => n !== name).map((n) => `${n} = { path = "../${n}" }`).join('\n');
      files[`${name}/Cargo.toml`] = crate(name, `[dependencies]\n${deps}\n`);
      files[`${name}/src/main.rs`] = '';
    }
    const result = findings(files, { 'no-cycles': ['error', { maxCycles: 10 }] });
    expect(result.filter((f) => f.messageId === 'cycle')).toHaveLength(10);
    const summary = result.filter((f) => f.messageId === 'tooManyCycles');
    expect(summary).toHaveLength(1);
    expect(summary[0]!.message).toContain('among services a, b, c, d, e');
  });
});

describe('no-cycles fix suggestions', () => {
  const at = (file: string, line: number, column = 5): Location => ({ file, line, column });
  const edge = (from: string, to: string, kind: Edge['kind'], extra: Partial<Edge> = {}): Edge => ({
    from,
    to,
    kind,
    scope: 'prod',
    evidence: [at(`${from}/src/main.rs`, 1)],
    ...extra,
  });
  const call = (from: string, to: string, kind: 'grpc' | 'http', lines: number[], extra: Partial<Edge> = {}): Edge => {
    const calls = lines.map((l) => at(`${from}/src/main.rs`, l, 9));
    return edge(from, to, kind, { usage: 'called', calls, evidence: [at(`${from}/src/main.rs`, 1), ...calls], ...extra });
  };
  const modelOf = (edges: Edge[], topics: Topic[] = []): Model => ({
    ...sqlModel([unit('content-service'), unit('feed-service')], [], {}),
    edges,
    topics,
  });
  const cycles = (model: Model, setting: unknown = 'error') =>
    runRules(model, [noCycles], resolveConfig({ rules: { 'no-cycles': setting } }, rules).rules, { includeTests: false });

  it('cuts the edge with the fewest call sites and names them', () => {
    const model = modelOf([
      call('content-service', 'feed-service', 'grpc', [10, 20], { service: 'nova.feed_service.v1.FeedService' }),
      call('feed-service', 'content-service', 'grpc', [30], { service: 'nova.content_service.v1.ContentService' }),
    ]);
    const [finding] = cycles(model);
    expect(finding!.suggestions).toEqual([
      {
        title:
          'Cut feed-service → content-service (grpc ContentService), the edge of this cycle with the fewest call sites (1): feed-service/src/main.rs:30:9; replace the call with an event feed-service publishes and content-service consumes (no topic links them yet)',
        applicability: 'display-only',
        edits: [],
      },
    ]);
  });

  it('names the topic the target already consumes from the source as the replacement', () => {
    const model = modelOf(
      [call('content-service', 'feed-service', 'http', [10, 20]), call('feed-service', 'content-service', 'grpc', [30])],
      [{ topic: 'content.events', producers: ['content-service'], consumers: ['feed-service'] }],
    );
    // feed → content has fewer call sites; the topic does not override the count.
    expect(cycles(model)[0]!.suggestions[0]!.title).toMatch(/^Cut feed-service → content-service .*content-service consumes \(no topic links them yet\)$/);
    const tied = modelOf(
      [call('content-service', 'feed-service', 'http', [10]), call('feed-service', 'content-service', 'grpc', [30])],
      [{ topic: 'content.events', producers: ['content-service'], consumers: ['feed-service'] }],
    );
    // With equal counts and kinds, the edge an existing topic can replace wins.
    expect(cycles(tied)[0]!.suggestions[0]!.title).toBe(
      'Cut content-service → feed-service (http), the edge of this cycle with the fewest call sites (1): content-service/src/main.rs:10:9; publish to `content.events` instead, which feed-service already consumes from content-service',
    );
  });

  it('breaks a tie in call sites by kind: an import before a gRPC call', () => {
    const model = modelOf([
      call('content-service', 'feed-service', 'grpc', [10]),
      edge('feed-service', 'content-service', 'crate', { evidence: [at('feed-service/Cargo.toml', 7, 1)] }),
      edge('feed-service', 'content-service', 'import', { evidence: [at('feed-service/src/lib.rs', 3)] }),
    ]);
    expect(cycles(model)[0]!.suggestions[0]!.title).toBe(
      'Cut feed-service → content-service (crate, import), the edge of this cycle with the fewest call sites (1): feed-service/src/lib.rs:3:5; remove the dependency declared at feed-service/Cargo.toml:7:1; move what feed-service uses of content-service into a library that depends on neither',
    );
  });

  it('cuts a client that is never called in a declared-only cycle, with nothing to replace', () => {
    const model = modelOf([
      call('content-service', 'feed-service', 'http', [10]),
      edge('feed-service', 'content-service', 'grpc', { usage: 'declared', service: 'nova.content_service.v1.ContentService', evidence: [at('feed-service/src/main.rs', 12, 25)] }),
    ]);
    const [finding] = cycles(model);
    expect(finding!.messageId).toBe('declaredCycle');
    expect(finding!.suggestions[0]!.title).toBe(
      'Cut feed-service → content-service (grpc ContentService declared only), the edge of this cycle with the fewest call sites (none); remove the client built at feed-service/src/main.rs:12:25, which is never called',
    );
  });

  it('names the manifest line of a crate-only cycle; with equal counts and kinds the first hop of the message wins', () => {
    const [finding] = findings(mediaMerge);
    expect(finding!.suggestions.map((s) => s.title)).toEqual([
      'Cut media-service → video-service (crate), the edge of this cycle with the fewest call sites (none); remove the dependency declared at media-service/Cargo.toml:6:1; move what media-service uses of video-service into a library that depends on neither',
    ]);
  });

  it('gives the summary of a capped group no suggestion', () => {
    const names = ['a', 'b', 'c'];
    const files: FileMap = { 'Cargo.toml': ws(names) };
    for (const name of names) {
      files[`${name}/Cargo.toml`] = crate(name, `[dependencies]\n${names.filter((n) => n !== name).map((n) => `${n} = { path = "../${n}" }`).join('\n')}\n`);
      files[`${name}/src/main.rs`] = '';
    }
    const result = findings(files, { 'no-cycles': ['error', { maxCycles: 1 }] });
    expect(result.find((f) => f.messageId === 'tooManyCycles')!.suggestions).toEqual([]);
    expect(result.find((f) => f.messageId === 'cycle')!.suggestions).toHaveLength(1);
  });
});
