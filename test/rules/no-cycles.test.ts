import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/check/run-rules.js';
import { resolveConfig } from '../../src/config/resolve.js';
import noCycles from '../../rules/no-cycles.js';
import { rules } from '../../rules/index.js';
import { cargoModelOf, crate, type FileMap } from '../helpers/repo.js';

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
