import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { noTiming, type StageTimer } from '../../../src/util/timing.js';
import { run, type RunResult } from '../../../src/run.js';
import { writeRepo } from '../../helpers/repo.js';
import { edgeList, library, proto, service, workspace } from '../../helpers/rust-repo.js';

/**
 * A large workspace is resolved in batches of leaf units (src/model/rust/index.ts). Batching
 * changes memory and time only: every test here compares a batched run with a single pass.
 */

/** A timer that counts how often each stage ran: the resolvers run once per batch. */
function countingTimer(): StageTimer & { count(stage: string): number } {
  const counts = new Map<string, number>();
  return {
    time: (stage, work) => {
      counts.set(stage, (counts.get(stage) ?? 0) + 1);
      return noTiming.time(stage, work);
    },
    timeAsync: (stage, work) => noTiming.timeAsync(stage, work),
    lap: () => undefined,
    count: (stage) => counts.get(stage) ?? 0,
  };
}

async function runBoth(root: string): Promise<{ single: RunResult; batched: RunResult; batches: number }> {
  const single = await run({ root, cwd: root, includeTests: false });
  const timer = countingTimer();
  // One leaf-unit file per batch: every leaf unit is a batch of its own.
  const batched = await run({ root, cwd: root, includeTests: false, timer, rustFilesPerBatch: 1 });
  return { single, batched, batches: timer.count('imports') };
}

describe('Rust batches: the same model as one pass', () => {
  for (const name of ['nova-before', 'nova-after', 'nova-mixed']) {
    it(`fixtures/repos/${name}`, async () => {
      const root = path.resolve(__dirname, '../../../fixtures/repos', name);
      const { single, batched, batches } = await runBoth(root);
      expect(batches).toBeGreaterThan(1);
      expect(JSON.stringify(batched.model)).toBe(JSON.stringify(single.model));
      expect(batched.findings).toEqual(single.findings);
    });
  }

  it('meets servers, clients, topics and library callers that are in different batches', async () => {
    const dep = (name: string): string => `[dependencies]\n${name} = { path = "../libs/${name}" }\nsqlx = "0.8"\nrdkafka = "0.36"\n`;
    const root = writeRepo({
      ...workspace(['feed-service', 'content-service', 'audit-service', 'auth-service', 'libs/store']),
      'proto/feed.proto': proto('nova.feed.v1', 'FeedService', ['GetFeed']),
      ...library(
        'libs/store',
        'store',
        [
          'pub async fn load_posts(pool: &PgPool) { sqlx::query("SELECT id FROM posts").fetch_all(pool).await; }',
          'pub async fn purge(pool: &PgPool) { sqlx::query("DELETE FROM audit_log").execute(pool).await; }',
          '',
        ].join('\n'),
        '[dependencies]\nsqlx = "0.8"\n',
      ),
      ...service(
        'feed-service',
        [
          'use nova_proto::feed_service_server::{FeedService, FeedServiceServer};',
          'async fn main() {',
          '    Server::builder().add_service(FeedServiceServer::new(Handler)).serve(addr).await;',
          '    consumer.subscribe(&["content.post.created"]);',
          '}',
          '',
        ].join('\n'),
        '[dependencies]\nrdkafka = "0.36"\n',
      ),
      ...service(
        'content-service',
        [
          'async fn main() {',
          '    let mut feed = FeedServiceClient::connect(url).await?;',
          '    feed.get_feed(req).await?;',
          '    producer.send(FutureRecord::to("content.post.created").payload(&p), t).await;',
          '    store::load_posts(&pool).await;',
          '}',
          '',
        ].join('\n'),
        `${dep('store')}auth-service = { path = "../auth-service" }\n`,
      ),
      ...service('audit-service', 'fn main() {}\n', dep('store')),
      // A service other units depend on (a binary with a library target): it is in every batch
      // that holds one of its dependents, and is reported by its own batch only.
      ...service('auth-service', 'fn main() {}\n', dep('store')),
      'auth-service/src/lib.rs': 'pub async fn whoami(pool: &PgPool) { store::load_posts(pool).await; }\n',
    });
    const { single, batched, batches } = await runBoth(root);
    expect(batches).toBe(3);
    expect(JSON.stringify(batched.model)).toBe(JSON.stringify(single.model));
    expect(edgeList(batched, ['grpc', 'event'])).toEqual(['content-service->feed-service:event', 'content-service->feed-service:grpc:called']);
    // Credited to its only caller; the function nobody calls stays the library's.
    expect(batched.model.tableAccesses.map((a) => `${a.unit}:${a.table}:${a.op}${a.via ? ' via' : ''}`).sort()).toEqual(['auth-service:posts:read via', 'content-service:posts:read via', 'store:audit_log:write']);
  });
  it('credits the lib target of a service to a unit in another batch that calls it, and keeps it the service\'s own', async () => {
    const sections = '[dependencies]\nsqlx = "0.8"\nrdkafka = "0.36"\nreqwest = "0.11"\n';
    const root = writeRepo({
      ...workspace(['collab-service', 'workspace-service', 'feed-service', 'user-service', 'search-service']),
      'proto/feed.proto': proto('nova.feed.v1', 'FeedService', ['GetFeed']),
      ...service('feed-service', 'async fn main() {\n    Server::builder().add_service(FeedServiceServer::new(Handler)).serve(addr).await;\n    consumer.subscribe(&["collab.saved"]);\n}\n', sections),
      ...service('user-service', 'fn main() {}\n'),
      ...service('search-service', 'fn main() {}\n'),
      // A service whose lib target other units call into (AppFlowy's appflowy-collaborate).
      ...service('collab-service', 'use collab_service::save;\nasync fn main() {\n    save(&pool).await;\n}\n', sections),
      'collab-service/src/lib.rs': [
        'pub async fn save(pool: &PgPool) {',
        '    sqlx::query("INSERT INTO af_collab (oid) VALUES ($1)").execute(pool).await;',
        '    let mut feed = FeedServiceClient::connect(url).await?;',
        '    feed.get_feed(req).await?;',
        '    producer.send(FutureRecord::to("collab.saved").payload(&p), t).await;',
        '    reqwest::get("http://user-service:8080/v1/users").await;',
        '}',
        '',
      ].join('\n'),
      ...service('workspace-service', 'async fn main() {\n    collab_service::save(&pool).await;\n}\n', `${sections}collab-service = { path = "../collab-service" }\n`),
    });
    // The first leaf joins the core batch; workspace-service, the last, is a batch of its own.
    const { single, batched, batches } = await runBoth(root);
    expect(batches).toBeGreaterThan(1);
    expect(JSON.stringify(batched.model)).toBe(JSON.stringify(single.model));
    expect(edgeList(batched, ['grpc', 'http', 'event'])).toEqual([
      'collab-service->feed-service:event',
      'collab-service->feed-service:grpc:called',
      'collab-service->user-service:http:called',
      'workspace-service->feed-service:event',
      'workspace-service->feed-service:grpc:called',
      'workspace-service->user-service:http:called',
    ]);
    expect(batched.model.tableAccesses.map((a) => `${a.unit}:${a.table}:${a.op}${a.via ? ` via ${a.via.function}` : ''}`).sort()).toEqual([
      'collab-service:af_collab:write',
      'workspace-service:af_collab:write via collab-service::save',
    ]);
  });
});
