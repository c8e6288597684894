import { describe, expect, it } from 'vitest';
import { snakeCase } from '../../../src/model/rust/grpc.js';
import { edgeList, library, proto, runOn, service, workspace } from '../../helpers/rust-repo.js';

const protos = {
  'proto/feed.proto': proto('nova.feed_service.v1', 'FeedService', ['GetFeed', 'UpdateFeeds']),
  'proto/content.proto': proto('nova.content_service.v1', 'ContentService', ['GetPost', 'GetPostsByIds']),
};
const dep = (name: string, path: string): string => `[dependencies]\n${name} = { path = "${path}" }\n`;
const feedServer = `
use nova_proto::feed_service_server::{FeedService, FeedServiceServer};
struct Handler;
#[tonic::async_trait]
impl FeedService for Handler { async fn get_feed(&self) {} }
#[tokio::main]
async fn main() { Server::builder().add_service(FeedServiceServer::new(Handler)).serve(addr).await; }
`;

describe('snakeCase', () => {
  it('follows prost naming for RPCs and service modules', async () => {
    expect(snakeCase('GetPostsByIds')).toBe('get_posts_by_ids');
    expect(snakeCase('ContentService')).toBe('content_service');
    expect(snakeCase('GetHTTPStatus')).toBe('get_http_status');
  });
});

describe('gRPC edges', () => {
  it('a direct client with an RPC call is a called edge with both places as evidence', async () => {
    const result = await runOn({
      ...workspace(['feed-service', 'content-service']),
      ...protos,
      ...service('feed-service', feedServer),
      ...service(
        'content-service',
        'async fn main() {\n    let mut client = FeedServiceClient::connect(url).await?;\n    client.update_feeds(req).await?;\n}\n',
      ),
    });
    const edge = result.model.edges.find((e) => e.kind === 'grpc')!;
    expect(edge).toMatchObject({ from: 'content-service', to: 'feed-service', usage: 'called', service: 'nova.feed_service.v1.FeedService', scope: 'prod' });
    expect(edge.evidence.map((l) => `${l.line}:${l.column}`)).toEqual(['3:12', '2:22']);
    expect(edge.calls!.map((l) => `${l.line}:${l.column}`)).toEqual(['3:12']);
  });

  it('a client that is connected but never called is declared', async () => {
    const result = await runOn({
      ...workspace(['feed-service', 'content-service']),
      ...protos,
      ...service('feed-service', feedServer),
      ...service('content-service', 'struct S { feed: FeedServiceClient<Channel> }\nasync fn main() { let c = FeedServiceClient::connect(url).await; }\n'),
    });
    expect(edgeList(result, ['grpc'])).toEqual(['content-service->feed-service:grpc:declared']);
  });

  it('resolves calls through struct fields and accessor functions of a shared client crate', async () => {
    const result = await runOn({
      ...workspace(['feed-service', 'content-service', 'libs/grpc-clients']),
      ...protos,
      ...service('feed-service', feedServer),
      ...library(
        'libs/grpc-clients',
        'grpc-clients',
        'pub struct Pool { feed: FeedServiceClient<Channel>, content: ContentServiceClient<Channel> }\n' +
          'impl Pool {\n  pub fn feed_client(&self) -> FeedServiceClient<Channel> { self.feed.clone() }\n' +
          '  pub fn content_client(&self) -> ContentServiceClient<Channel> { self.content.clone() }\n}\n',
      ),
      ...service(
        'content-service',
        'use grpc_clients::Pool;\nasync fn publish(pool: &Pool) {\n    pool.feed_client().update_feeds(req).await;\n}\n',
        dep('grpc-clients', '../libs/grpc-clients'),
      ),
    });
    // Depending on the pool is no edge to content-service's own ContentService client, nor to the library.
    expect(edgeList(result, ['grpc'])).toEqual(['content-service->feed-service:grpc:called']);
  });

  it('an accessor counts only in its own crate and the crates that depend on it', async () => {
    const result = await runOn({
      ...workspace(['feed-service', 'content-service', 'search-service', 'libs/grpc-clients']),
      ...protos,
      ...service('feed-service', feedServer),
      ...library('libs/grpc-clients', 'grpc-clients', 'pub fn feed_client(c: &Config) -> FeedServiceClient<Channel> { todo!() }\n'),
      ...service(
        'content-service',
        'use grpc_clients::feed_client;\nfn main() {\n    let f = feed_client(&cfg);\n}\n',
        dep('grpc-clients', '../libs/grpc-clients'),
      ),
      // Same method name, no dependency on the crate that defines the accessor: Rust cannot reach it.
      ...service('search-service', 'fn main() {\n    let f = self.index.feed_client();\n}\n'),
    });
    expect(edgeList(result, ['grpc'])).toEqual(['content-service->feed-service:grpc:declared']);
  });

  it('credits a call inside a library function to the service that calls it', async () => {
    const result = await runOn({
      ...workspace(['feed-service', 'content-service', 'libs/feed-client']),
      ...protos,
      ...service('feed-service', feedServer),
      ...library(
        'libs/feed-client',
        'feed-client',
        'pub async fn refresh(addr: String) {\n    let mut c = FeedServiceClient::connect(addr).await.unwrap();\n    c.update_feeds(r).await;\n}\n',
      ),
      ...service('content-service', 'async fn main() {\n    feed_client::refresh(cfg.feed_url).await;\n}\n', dep('feed-client', '../libs/feed-client')),
    });
    const edge = result.model.edges.find((e) => e.kind === 'grpc')!;
    expect(edge).toMatchObject({ from: 'content-service', to: 'feed-service', usage: 'called', via: [{ unit: 'feed-client', function: 'refresh' }] });
    expect(edge.evidence.map((l) => `${l.file}:${l.line}`)).toEqual(['content-service/src/main.rs:2', 'libs/feed-client/src/lib.rs:3']);
    // The library itself originates nothing.
    expect(result.model.edges.filter((e) => e.from === 'feed-client' && e.kind === 'grpc')).toEqual([]);
  });

  it('makes no edge for a hand-written stub, an unserved service, test-only calls in prod scope, or comments', async () => {
    const result = await runOn({
      ...workspace(['feed-service', 'content-service', 'search-service']),
      ...protos,
      ...service('feed-service', feedServer),
      ...service(
        'content-service',
        '// call FeedServiceClient::connect here one day\nmod feed_service_client { pub struct FeedServiceClient; }\nfn main() { let c = FeedServiceClient::connect(u); c.get_feed(r); }\n',
      ),
      ...service(
        'search-service',
        'fn main() { let c = ContentServiceClient::connect(u); c.get_post(r); }\n#[cfg(test)]\nmod tests { #[test] fn t() { let f = FeedServiceClient::connect(u); f.get_feed(r); } }\n',
      ),
    });
    expect(edgeList(result, ['grpc'])).toEqual(['search-service->feed-service:grpc:called:test']);
    const codes = result.model.diagnostics.map((d) => `${d.code}@${d.location?.file}:${d.location?.line}`);
    expect(codes).toContain('grpc-client-stub@content-service/src/main.rs:2');
    expect(codes).toContain('grpc-service-not-served@search-service/src/main.rs:1');
  });

  it('finds the server through impl x_server::X for a type', async () => {
    const result = await runOn({
      ...workspace(['feed-service', 'content-service']),
      ...protos,
      ...service('feed-service', 'struct H;\nimpl nova_proto::feed_service_server::FeedService for H {}\nfn main() {}\n'),
      ...service('content-service', 'fn main() { let c = FeedServiceClient::connect(u); c.get_feed(r); }\n'),
    });
    expect(edgeList(result, ['grpc'])).toEqual(['content-service->feed-service:grpc:called']);
  });
});
