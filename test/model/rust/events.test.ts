import { describe, expect, it } from 'vitest';
import { looksLikeTopic } from '../../../src/model/rust/events.js';
import type { FileMap } from '../../helpers/repo.js';
import { at, manifest, row, rustModelOf, rustModelOfDirectory, workspace } from './rust-model.js';

const KAFKA = '[dependencies]\nrdkafka = "0.36"\n';
const ORDERS = 'svc/order-service/src/main.rs';
const BILLING = 'svc/billing-service/src/main.rs';

/** order-service (producer side) and billing-service (consumer side), both with rdkafka. */
function repo(producer: string, consumer: string, extra: FileMap = {}): FileMap {
  return {
    'Cargo.toml': workspace(['svc/*', 'libs/*']),
    'svc/order-service/Cargo.toml': manifest('order-service', KAFKA),
    [ORDERS]: producer,
    'svc/billing-service/Cargo.toml': manifest('billing-service', KAFKA),
    [BILLING]: consumer,
    ...extra,
  };
}

function events(files: FileMap) {
  const model = rustModelOf(files);
  return {
    edges: model.edges.filter((e) => e.kind === 'event').map(row),
    topics: model.topics,
    diagnostics: model.diagnostics.filter((d) => d.code === 'topic-unresolved').map((d) => ({ at: at(d.location!), message: d.message })),
  };
}

const lines = (...text: string[]): string => text.join('\n') + '\n';
const produceLiteral = lines(
  'use rdkafka::producer::{FutureProducer, FutureRecord};',
  'fn main() {}',
  'async fn publish(producer: &FutureProducer, payload: &[u8]) {',
  '    producer.send(FutureRecord::<(), [u8]>::to("orders.created").payload(payload), None).await;',
  '}',
);
const consumeLiteral = lines(
  'use rdkafka::consumer::{Consumer, StreamConsumer};',
  'fn main() {}',
  'fn run(consumer: &StreamConsumer) {',
  '    consumer.subscribe(&["orders.created"]).unwrap();',
  '}',
);

describe('collectTopicSites: topics', () => {
  it.each([
    { name: 'a literal topic', producer: produceLiteral, extra: {} as FileMap, producedAt: `${ORDERS}:4:19` },
    {
      name: 'a const topic in another module of the same unit',
      producer: lines(
        'mod topics;',
        'fn main() {}',
        'async fn publish(producer: &rdkafka::producer::FutureProducer) {',
        '    producer.send(rdkafka::producer::FutureRecord::to(topics::ORDERS_CREATED), None).await;',
        '}',
      ),
      extra: { 'svc/order-service/src/topics.rs': 'pub const ORDERS_CREATED: &str = "orders.created";\n' } as FileMap,
      producedAt: `${ORDERS}:4:19`,
    },
    {
      name: "an env var's default (the ALL_CAPS string is the variable, not the topic)",
      producer: lines(
        'use rdkafka::producer::BaseRecord;',
        'fn main() {}',
        'fn publish(producer: &rdkafka::producer::BaseProducer) {',
        '    let topic = std::env::var("KAFKA_ORDERS_TOPIC").unwrap_or_else(|_| "orders.created".to_string());',
        '    producer.send(BaseRecord::to(&topic).payload("x"));',
        '}',
      ),
      extra: {} as FileMap,
      producedAt: `${ORDERS}:5:19`,
    },
  ])('$name', ({ producer, extra, producedAt }) => {
    expect(events(repo(producer, consumeLiteral, extra))).toEqual({
      edges: [{ from: 'order-service', to: 'billing-service', kind: 'event', scope: 'prod', topic: 'orders.created', evidence: [producedAt, `${BILLING}:4:14`] }],
      topics: [{ topic: 'orders.created', producers: ['order-service'], consumers: ['billing-service'] }],
      diagnostics: [],
    });
  });

  it('subscribe with several topics: one edge per topic and producer', () => {
    const files = repo(produceLiteral, lines('fn main() {}', 'fn run(consumer: &rdkafka::consumer::BaseConsumer) {', '    consumer.subscribe(&["users.events", "orders.created"]).unwrap();', '}'), {
      'svc/user-service/Cargo.toml': manifest('user-service', KAFKA),
      'svc/user-service/src/main.rs': lines('const USERS: &str = "users.events";', 'fn main() {}', 'fn emit() {', '    let record = rdkafka::producer::FutureRecord::to(USERS);', '}'),
    });
    expect(events(files)).toEqual({
      edges: [
        { from: 'order-service', to: 'billing-service', kind: 'event', scope: 'prod', topic: 'orders.created', evidence: [`${ORDERS}:4:19`, `${BILLING}:3:14`] },
        { from: 'user-service', to: 'billing-service', kind: 'event', scope: 'prod', topic: 'users.events', evidence: ['svc/user-service/src/main.rs:4:18', `${BILLING}:3:14`] },
      ],
      topics: [
        { topic: 'orders.created', producers: ['order-service'], consumers: ['billing-service'] },
        { topic: 'users.events', producers: ['user-service'], consumers: ['billing-service'] },
      ],
      diagnostics: [],
    });
  });

  it('a const array of topics', () => {
    const consumer = lines('const TOPICS: &[&str] = &["orders.created", "orders.cancelled"];', 'fn run(consumer: &rdkafka::consumer::StreamConsumer) {', '    consumer.subscribe(TOPICS).unwrap();', '}');
    expect(events(repo(produceLiteral, consumer)).topics).toEqual([
      { topic: 'orders.cancelled', producers: [], consumers: ['billing-service'] },
      { topic: 'orders.created', producers: ['order-service'], consumers: ['billing-service'] },
    ]);
  });

  it('a producer without a consumer (and a unit consuming its own topic) makes no edge but is listed', () => {
    const consumer = lines('fn main() {}', 'fn run(consumer: &rdkafka::consumer::StreamConsumer) {', '    consumer.subscribe(&["billing.self"]).unwrap();', '    rdkafka::producer::FutureRecord::to("billing.self");', '}');
    expect(events(repo(produceLiteral, consumer))).toEqual({
      edges: [],
      topics: [
        { topic: 'billing.self', producers: ['billing-service'], consumers: ['billing-service'] },
        { topic: 'orders.created', producers: ['order-service'], consumers: [] },
      ],
      diagnostics: [],
    });
  });

  it('an unresolvable or formatted topic is an info diagnostic, no edge', () => {
    const producer = lines(
      'fn main() {}',
      'fn publish(&self, kind: &str) {',
      '    let a = rdkafka::producer::FutureRecord::to(&self.config.topic);',
      '    let name = format!("nova.{}", kind);',
      '    let b = rdkafka::producer::FutureRecord::to(&name);',
      '}',
    );
    expect(events(repo(producer, consumeLiteral))).toEqual({
      edges: [],
      topics: [{ topic: 'orders.created', producers: [], consumers: ['billing-service'] }],
      diagnostics: [
        { at: `${ORDERS}:3:13`, message: 'cannot tell which Kafka topic this produces to (no topic literal or const found); no event edge' },
        { at: `${ORDERS}:5:13`, message: 'cannot tell which Kafka topic this produces to (the topic name is formatted at run time); no event edge' },
      ],
    });
  });
});

describe('collectTopicSites: scope, libraries, non-Kafka code', () => {
  it('a consumer in test code makes a test-scope edge and is not listed', () => {
    const consumer = lines('fn main() {}', '#[cfg(test)]', 'mod tests {', '    #[test]', '    fn listens() {', '        make_consumer().subscribe(&["orders.created"]).unwrap();', '    }', '}');
    expect(events(repo(produceLiteral, consumer))).toEqual({
      edges: [{ from: 'order-service', to: 'billing-service', kind: 'event', scope: 'test', topic: 'orders.created', evidence: [`${ORDERS}:4:19`, `${BILLING}:6:25`] }],
      topics: [{ topic: 'orders.created', producers: ['order-service'], consumers: [] }],
      diagnostics: [],
    });
  });

  it('a producer inside a library function is credited to the caller, the topic resolved at the call site', () => {
    const LIB = 'libs/bus/src/lib.rs';
    const files = repo(
      lines('fn main() {}', 'async fn created(producer: &bus::Producer) {', '    let topic = bus::topic_from_env("KAFKA_ORDERS_TOPIC", bus::ORDERS);', '    producer.publish(&topic, b"x").await;', '}'),
      consumeLiteral,
      {
        'libs/bus/Cargo.toml': manifest('bus', KAFKA),
        [LIB]: lines(
          'pub const ORDERS: &str = "orders.created";',
          'pub struct Producer { inner: rdkafka::producer::FutureProducer }',
          'pub fn topic_from_env(key: &str, default: &str) -> String { std::env::var(key).unwrap_or_else(|_| default.to_string()) }',
          'impl Producer {',
          '    pub async fn publish(&self, topic: &str, payload: &[u8]) {',
          '        self.inner.send(rdkafka::producer::FutureRecord::to(topic).payload(payload), None).await;',
          '    }',
          '}',
        ),
      },
    );
    files['svc/order-service/Cargo.toml'] = manifest('order-service', '[dependencies]\nbus = { path = "../../libs/bus" }\n');
    expect(events(files)).toEqual({
      edges: [
        {
          from: 'order-service',
          to: 'billing-service',
          kind: 'event',
          scope: 'prod',
          topic: 'orders.created',
          via: ['bus::Producer::publish'],
          evidence: [`${ORDERS}:4:14`, `${LIB}:6:25`, `${BILLING}:4:14`],
        },
      ],
      topics: [{ topic: 'orders.created', producers: ['order-service'], consumers: ['billing-service'] }],
      diagnostics: [],
    });
  });

  it('subscribe() without arguments, and units without a Kafka client, are not consumers', () => {
    const files = repo(produceLiteral, lines('fn main() {}', 'fn run(tx: &tokio::sync::broadcast::Sender<u8>) {', '    let rx = tx.subscribe();', '}'), {
      'svc/chat-service/Cargo.toml': manifest('chat-service', '[dependencies]\nredis = "0.25"\n'),
      'svc/chat-service/src/main.rs': lines('fn main() {}', 'fn run(pubsub: &mut redis::PubSub) {', '    pubsub.subscribe(&["orders.created"]).unwrap();', '}'),
    });
    expect(events(files)).toEqual({ edges: [], topics: [{ topic: 'orders.created', producers: ['order-service'], consumers: [] }], diagnostics: [] });
  });

  it('looksLikeTopic: names, not env vars, templates or addresses', () => {
    expect(['orders.created', 'nova.user.events', 'user-events', 'orders', 'content_events'].every(looksLikeTopic)).toBe(true);
    expect(['KAFKA_ORDERS_TOPIC', 'ORDERS', 'nova.{}', 'kafka:9092', 'kafka producer', '', '.hidden'].some(looksLikeTopic)).toBe(false);
  });
});

describe('collectTopicSites on the nova fixtures', () => {
  const classification = { services: ['backend/*-service', 'backend/graphql-gateway'], libraries: ['backend/libs/*'] };
  const fixture = (name: string) => {
    const model = rustModelOfDirectory(new URL(`../../../fixtures/repos/${name}`, import.meta.url).pathname, { classification });
    return {
      edges: model.edges.filter((e) => e.kind === 'event' || e.kind === 'http').map(row),
      topics: model.topics,
      diagnostics: model.diagnostics.filter((d) => d.code === 'topic-unresolved' || d.code === 'http-target-unknown').map((d) => `${d.code} ${at(d.location!)}`),
    };
  };

  it('nova-before: two HTTP edges, one event edge (notification.events); search consumes content.events, nobody produces it yet', () => {
    expect(fixture('nova-before')).toEqual({
      edges: [
        {
          from: 'auth-service',
          to: 'user-service',
          kind: 'http',
          scope: 'prod',
          usage: 'called',
          endpoint: 'USER_SERVICE_URL',
          evidence: ['backend/auth-service/src/user_sync.rs:18:5', 'backend/auth-service/src/user_sync.rs:17:30'],
        },
        {
          from: 'notification-service',
          to: 'messaging-service',
          kind: 'http',
          scope: 'prod',
          usage: 'called',
          endpoint: 'MESSAGING_SERVICE_URL',
          evidence: ['backend/notification-service/src/store.rs:16:5', 'backend/notification-service/src/store.rs:15:30'],
        },
        {
          from: 'notification-service',
          to: 'messaging-service',
          kind: 'event',
          scope: 'prod',
          topic: 'notification.events',
          evidence: ['backend/notification-service/src/events.rs:20:15', 'backend/messaging-service/src/delivery_receipts.rs:10:14'],
        },
      ],
      topics: [
        { topic: 'content.events', producers: [], consumers: ['search-service'] },
        { topic: 'notification.events', producers: ['notification-service'], consumers: ['messaging-service'] },
        { topic: 'nova.user.events', producers: ['user-service'], consumers: [] },
      ],
      diagnostics: ['topic-unresolved backend/events-service/src/relay.rs:17:25'],
    });
  });

  it('nova-after: events replace the content ↔ feed and messaging ↔ notification calls', () => {
    const via = ['event-schema::EventProducer::publish'];
    expect(fixture('nova-after')).toEqual({
      edges: [
        {
          from: 'content-service',
          to: 'feed-service',
          kind: 'event',
          scope: 'prod',
          topic: 'content.events',
          via,
          evidence: ['backend/content-service/src/outbox.rs:30:18', 'backend/libs/event-schema/src/producer.rs:27:19', 'backend/feed-service/src/consumer.rs:15:14'],
        },
        {
          from: 'content-service',
          to: 'search-service',
          kind: 'event',
          scope: 'prod',
          topic: 'content.events',
          via,
          evidence: ['backend/content-service/src/outbox.rs:30:18', 'backend/libs/event-schema/src/producer.rs:27:19', 'backend/search-service/src/indexer.rs:12:14'],
        },
        {
          from: 'messaging-service',
          to: 'notification-service',
          kind: 'event',
          scope: 'prod',
          topic: 'messaging.events',
          via,
          evidence: ['backend/messaging-service/src/events.rs:13:14', 'backend/libs/event-schema/src/producer.rs:27:19', 'backend/notification-service/src/consumer.rs:13:14'],
        },
      ],
      topics: [
        { topic: 'content.events', producers: ['content-service'], consumers: ['feed-service', 'search-service'] },
        { topic: 'messaging.events', producers: ['messaging-service'], consumers: ['notification-service'] },
        { topic: 'nova.user.events', producers: ['user-service'], consumers: [] },
      ],
      diagnostics: ['topic-unresolved backend/events-service/src/relay.rs:17:25'],
    });
  });
});

// Dev-set findings (docs/evaluation.md): producers written as `FutureRecord { topic: .., .. }`
// literals (hog-rs capture and hook-janitor) and Redis Streams used as the event bus between
// services (AppFlowy-Cloud: appflowy-cloud XADDs import tasks that appflowy-worker XREADs).
describe('collectTopicSites: FutureRecord struct literals', () => {
  it('a topic held in a let named in the literal makes an edge', () => {
    const producer = lines(
      'use rdkafka::producer::{FutureProducer, FutureRecord};',
      'fn main() {}',
      'async fn publish(producer: &FutureProducer, payload: &[u8], id: &str) {',
      '    let topic = std::env::var("KAFKA_ORDERS_TOPIC").unwrap_or_else(|_| "orders.created".to_string());',
      '    let key = format!("order-{}", id);',
      '    producer.send_result(FutureRecord { topic: &topic, payload: Some(payload), key: Some(&key), partition: None, timestamp: None, headers: None });',
      '}',
    );
    expect(events(repo(producer, consumeLiteral))).toEqual({
      edges: [{ from: 'order-service', to: 'billing-service', kind: 'event', scope: 'prod', topic: 'orders.created', evidence: [`${ORDERS}:6:14`, `${BILLING}:4:14`] }],
      topics: [{ topic: 'orders.created', producers: ['order-service'], consumers: ['billing-service'] }],
      diagnostics: [],
    });
  });

  it('a literal built in a let and sent later, with the topic in a const named *_TOPIC', () => {
    const producer = lines(
      'const ORDERS_TOPIC: &str = "orders.created";',
      'fn main() {}',
      'fn publish(producer: &rdkafka::producer::BaseProducer, payload: &[u8]) {',
      '    let record = rdkafka::producer::BaseRecord { topic: ORDERS_TOPIC, payload: Some(payload), key: Some("k") };',
      '    producer.send(record);',
      '}',
    );
    expect(events(repo(producer, consumeLiteral)).edges).toEqual([
      { from: 'order-service', to: 'billing-service', kind: 'event', scope: 'prod', topic: 'orders.created', evidence: [`${ORDERS}:5:14`, `${BILLING}:4:14`] },
    ]);
  });

  it('a topic in a struct field (config) is a producer site with an info diagnostic, not silence', () => {
    const producer = lines(
      'use rdkafka::producer::FutureRecord;',
      'fn main() {}',
      'impl Sink {',
      '    async fn publish(&self, payload: &[u8]) {',
      '        self.producer.send_result(FutureRecord { topic: self.app_metrics_topic.as_str(), payload: Some(payload), key: None::<&str>, partition: None, timestamp: None, headers: None });',
      '    }',
      '}',
    );
    expect(events(repo(producer, consumeLiteral))).toEqual({
      edges: [],
      topics: [{ topic: 'orders.created', producers: [], consumers: ['billing-service'] }],
      diagnostics: [
        {
          at: `${ORDERS}:5:23`,
          message: 'cannot tell which Kafka topic this produces to (a `FutureRecord { topic: .. }` literal whose topic names no literal, let or const); no event edge',
        },
      ],
    });
  });

  it('FutureRecord::to(..) passed to send() is counted once, at the path', () => {
    const producer = lines('fn main() {}', 'async fn p(producer: &rdkafka::producer::FutureProducer) {', '    producer.send(rdkafka::producer::FutureRecord::to("orders.created").key("k"), None).await;', '}');
    expect(events(repo(producer, consumeLiteral)).edges.map((e) => e.evidence)).toEqual([[`${ORDERS}:3:19`, `${BILLING}:4:14`]]);
  });
});

describe('collectTopicSites: Redis Streams', () => {
  const REDIS = '[dependencies]\nredis = "0.25"\n';
  const redisRepo = (producer: string, consumer: string): FileMap => ({
    'Cargo.toml': workspace(['svc/*']),
    'svc/api-service/Cargo.toml': manifest('api-service', REDIS),
    'svc/api-service/src/main.rs': producer,
    'svc/import-worker/Cargo.toml': manifest('import-worker', REDIS),
    'svc/import-worker/src/main.rs': consumer,
  });
  const xadd = lines('fn main() {}', 'async fn enqueue(con: &mut redis::aio::ConnectionManager, task: String) {', '    let _: () = con.xadd("import_task_stream", "*", &[("task", task)]).await.unwrap();', '}');

  it('XADD in one service and XREAD(GROUP) in another make an event edge on the stream key', () => {
    const consumer = lines(
      'const STREAM: &str = "import_task_stream";',
      'fn main() {}',
      'async fn run(con: &mut redis::aio::ConnectionManager, opts: &redis::streams::StreamReadOptions) {',
      '    let _: () = con.xgroup_create_mkstream(STREAM, "workers", "$").await.unwrap();',
      '    let reply: redis::streams::StreamReadReply = con.xread_options(&[STREAM], &[">"], opts).await.unwrap();',
      '}',
    );
    expect(events(redisRepo(xadd, consumer))).toEqual({
      edges: [
        {
          from: 'api-service',
          to: 'import-worker',
          kind: 'event',
          scope: 'prod',
          topic: 'redis:import_task_stream',
          evidence: ['svc/api-service/src/main.rs:3:21', 'svc/import-worker/src/main.rs:4:21', 'svc/import-worker/src/main.rs:5:54'],
        },
      ],
      topics: [{ topic: 'redis:import_task_stream', producers: ['api-service'], consumers: ['import-worker'] }],
      diagnostics: [],
    });
  });

  it('a stream key passed in as a parameter is an info diagnostic; units without redis have no stream sites', () => {
    const consumer = lines('fn main() {}', 'async fn run(con: &mut redis::aio::ConnectionManager, stream_name: &str) {', '    let r: redis::streams::StreamReadReply = con.xread(&[stream_name], &["0"]).await.unwrap();', '}');
    const files = redisRepo(xadd, consumer);
    files['svc/other-service/Cargo.toml'] = manifest('other-service');
    files['svc/other-service/src/main.rs'] = lines('fn main() {}', 'fn f(log: &mut Log) {', '    log.xread(&["import_task_stream"]);', '}');
    expect(events(files)).toEqual({
      edges: [],
      topics: [{ topic: 'redis:import_task_stream', producers: ['api-service'], consumers: [] }],
      diagnostics: [{ at: 'svc/import-worker/src/main.rs:3:50', message: 'cannot tell which Redis stream this consumes from (no topic literal or const found); no event edge' }],
    });
  });

  it('a Kafka topic and a Redis stream of the same name are different channels', () => {
    const files = redisRepo(xadd, consumeLiteral.replace('orders.created', 'import_task_stream'));
    files['svc/import-worker/Cargo.toml'] = manifest('import-worker', KAFKA);
    expect(events(files)).toEqual({
      edges: [],
      topics: [
        { topic: 'import_task_stream', producers: [], consumers: ['import-worker'] },
        { topic: 'redis:import_task_stream', producers: ['api-service'], consumers: [] },
      ],
      diagnostics: [],
    });
  });
});
