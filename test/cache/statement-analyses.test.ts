import { appendFileSync, cpSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/run.js';
import { createStageTimer } from '../../src/util/timing.js';

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/repos/nova-before');
const MEDIA_MAIN = 'backend/media-service/src/main.rs';
const INSERT = 'INSERT INTO media_assets (owner_id, content_type, bucket) VALUES ($1::uuid, $2, $3) RETURNING id';

/** A copy of the before-state fixture with a model cache beside it. */
function setup() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'boundary-analyses-'));
  cpSync(FIXTURE, root, { recursive: true });
  const cache = { directory: path.join(root, '.boundary-lint-cache'), salt: 'build-1' };
  /** A run with the cache; `loaded` says whether it loaded the SQL parser. */
  const lint = async () => {
    const timer = createStageTimer();
    const result = await run({ root, cwd: root, includeTests: false, cache, timer });
    return { result, loaded: timer.times().some((t) => t.stage === 'SQL: load libpg-query') };
  };
  const uncached = () => run({ root, cwd: root, includeTests: false });
  /** Marks a file as changed for the model cache's stat-based key. */
  const touch = (file: string) => {
    const later = new Date(Date.now() + 5000);
    utimesSync(path.join(root, file), later, later);
  };
  const stored = () => JSON.parse(readFileSync(path.join(cache.directory, 'statement-analyses.json'), 'utf8')).value.dialects.postgres.map(([sql]: [string]) => sql) as string[];
  return { root, cache, lint, uncached, touch, stored };
}

describe('statement analyses kept by the model cache', () => {
  it('lets a run after an edit that changed no SQL skip the parser, with the same model', async () => {
    const { root, lint, uncached, touch, stored } = setup();
    expect((await lint()).loaded).toBe(true);
    expect(stored()).toContain(INSERT);

    appendFileSync(path.join(root, MEDIA_MAIN), '\n// a comment changes the file, not its statements\n');
    touch(MEDIA_MAIN);
    const second = await lint();
    expect(second.loaded).toBe(false);
    expect(second.result.model).toEqual((await uncached()).model);
    expect(second.result.model.tableAccesses.some((a) => a.table === 'media_assets' && a.op === 'write')).toBe(true);
  });

  it('parses a statement it has not seen, and forgets statements that left the code', async () => {
    const { root, lint, uncached, touch, stored } = setup();
    await lint();
    const file = path.join(root, MEDIA_MAIN);
    writeFileSync(file, readFileSync(file, 'utf8').replace(INSERT, 'INSERT INTO media_uploads (owner_id) VALUES ($1::uuid) RETURNING id'));
    touch(MEDIA_MAIN);
    const second = await lint();
    expect(second.loaded).toBe(true);
    expect(second.result.model).toEqual((await uncached()).model);
    expect(second.result.model.tableAccesses.some((a) => a.table === 'media_uploads' && a.op === 'write')).toBe(true);
    expect(stored()).not.toContain(INSERT);
  });

  it('does not trust a damaged entry: that statement is parsed again', async () => {
    const { cache, lint, uncached, touch } = setup();
    await lint();
    const file = path.join(cache.directory, 'statement-analyses.json');
    const content = JSON.parse(readFileSync(file, 'utf8'));
    const entry = content.value.dialects.postgres.find(([sql]: [string]) => sql === INSERT);
    entry[1].writes = 'media_assets';
    writeFileSync(file, JSON.stringify(content));
    touch(MEDIA_MAIN);
    const second = await lint();
    expect(second.loaded).toBe(true);
    expect(second.result.model).toEqual((await uncached()).model);
  });

  it('ignores analyses stored by another build of the tool', async () => {
    const { cache, lint, touch } = setup();
    await lint();
    cache.salt = 'build-2';
    touch(MEDIA_MAIN);
    expect((await lint()).loaded).toBe(true);
  });
});
