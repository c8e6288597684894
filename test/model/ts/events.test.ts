import { describe, expect, it } from 'vitest';
import { crate } from '../../helpers/repo.js';
import { diagnosticLines, edgeLines, runRepo, workspace } from './helpers.js';

describe('TypeScript event edges', () => {
  it('BullMQ: queue.add produces, new Worker consumes; queue names from literals and consts', async () => {
    const result = await runRepo(
      workspace({
        'packages/api/src/queue.ts': "import { Queue } from 'bullmq';\nexport const QUEUE = 'thumbnails';\nexport const thumbnails = new Queue(QUEUE);\n",
        'packages/api/src/main.ts': "import { thumbnails } from './queue.js';\nawait thumbnails.add('make', { id: 1 });\n",
        'packages/worker/src/main.ts': "import { Worker } from 'bullmq';\nnew Worker('thumbnails', async () => {});\n",
        'packages/worker/test/worker.test.ts': "import { Queue } from 'bullmq';\nconst q = new Queue('thumbnails');\nawait q.add('x', {});\n",
      }),
    );
    expect(edgeLines(result)).toEqual([
      '@x/api -> @x/worker event prod bullmq:thumbnails @api/src/main.ts:2:7,worker/src/main.ts:2:1',
    ]);
    expect(result.model.topics).toEqual([{ topic: 'bullmq:thumbnails', producers: ['@x/api'], consumers: ['@x/worker'] }]);
  });

  it('kafkajs: producer.send({ topic }) and consumer.subscribe({ topics }) with env defaults; a templated topic is a diagnostic', async () => {
    const result = await runRepo(
      workspace({
        'packages/api/src/main.ts': [
          "import { Kafka } from 'kafkajs';",
          "const kafka = new Kafka({ brokers: ['kafka:9092'] });",
          'const producer = kafka.producer();',
          "const TOPIC = process.env.KAFKA_MEDIA_TOPIC ?? 'nova.media.events';",
          'await producer.send({ topic: TOPIC, messages: [] });',
          'await producer.send({ topic: `nova.${process.env.ENV}.x`, messages: [] });',
          '',
        ].join('\n'),
        'packages/worker/src/main.ts': [
          "import { Kafka, type Consumer } from 'kafkajs';",
          "const kafka = new Kafka({ brokers: ['kafka:9092'] });",
          "export async function start(consumer: Consumer) { await consumer.subscribe({ topics: ['nova.media.events', 'nova.user.events'] }); }",
          "const logger = { send: (x: unknown) => x };",
          "logger.send({ topic: 'nova.user.events' });",
          '',
        ].join('\n'),
      }),
    );
    expect(edgeLines(result)).toEqual(['@x/api -> @x/worker event prod nova.media.events @api/src/main.ts:5:7,worker/src/main.ts:3:57']);
    expect(result.model.topics).toEqual([
      { topic: 'nova.media.events', producers: ['@x/api'], consumers: ['@x/worker'] },
      { topic: 'nova.user.events', producers: [], consumers: ['@x/worker'] },
    ]);
    expect(diagnosticLines(result, ['topic-unresolved'])).toEqual(['topic-unresolved @api/src/main.ts:6:7']);
  });

  it('a Rust producer and a TypeScript consumer of one Kafka topic are an event edge', async () => {
    const result = await runRepo({
      ...workspace({
        'packages/worker/src/main.ts': "import { Kafka } from 'kafkajs';\nconst consumer = new Kafka({ brokers: [] }).consumer({ groupId: 'g' });\nawait consumer.subscribe({ topic: 'nova.user.events' });\n",
      }),
      'Cargo.toml': '[workspace]\nmembers = ["user-service"]\n',
      'user-service/Cargo.toml': crate('user-service', '[dependencies]\nrdkafka = "0.36"\n'),
      'user-service/src/main.rs': 'use rdkafka::producer::FutureRecord;\nfn main() {\n    let record = FutureRecord::to("nova.user.events").payload("x");\n}\n',
    });
    expect(edgeLines(result, ['event'])).toEqual(['user-service -> @x/worker event prod nova.user.events @user-service/src/main.rs:3:18,worker/src/main.ts:3:7']);
    expect(result.model.topics).toEqual([{ topic: 'nova.user.events', producers: ['user-service'], consumers: ['@x/worker'] }]);
  });
});
