import type * as TsMorph from 'ts-morph';
import type { Location } from '../types.js';
import { isDeferred, type Client, type FileContext, type NameCandidates, type Value } from './file-context.js';

/**
 * BullMQ queues are Redis keys, not Kafka topics: they are named `bullmq:<queue>` in edges and
 * topics, so a Kafka topic of the same name stays a different channel (as Rust's `redis:` streams).
 */
export const BULLMQ_PREFIX = 'bullmq:';

/** A producer or consumer site: on a receiver of type `accepts` (or a receiver that resolves to one). */
export interface TopicCandidate {
  role: 'producer' | 'consumer';
  transport: 'bullmq' | 'kafka';
  /** Absent when the construct alone decides (`new Worker('q', ..)`). */
  receiver?: Value;
  accepts?: Client['type'];
  /** The topic names; for a queue's `.add(..)`, taken from the queue when it resolves. */
  names: NameCandidates;
  location: Location;
}

const NONE: NameCandidates = { values: [], refs: [], templated: false };

export function collectTopics(ctx: FileContext, node: TsMorph.ts.Node): TopicCandidate | undefined {
  const ts = ctx.ts;
  if (ts.isNewExpression(node)) {
    const target = ctx.importedName(node.expression);
    const arg0 = node.arguments?.[0];
    if (target?.module === 'bullmq' && target.name === 'Worker' && arg0) {
      return { role: 'consumer', transport: 'bullmq', names: ctx.names(arg0), location: ctx.location(node) };
    }
    return undefined;
  }
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return undefined;
  const method = node.expression.name.text;
  const arg0 = node.arguments[0];
  const location = ctx.location(node.expression);
  if (method === 'add' || method === 'addBulk') {
    const receiver = ctx.classify(node.expression.expression);
    if (receiver?.type === 'queue' || isDeferred(receiver)) return { role: 'producer', transport: 'bullmq', receiver, accepts: 'queue', names: receiver.type === 'queue' ? receiver.name : NONE, location };
    return undefined;
  }
  if ((method === 'send' || method === 'subscribe') && arg0 && ts.isObjectLiteralExpression(ctx.unwrap(arg0))) {
    const receiver = ctx.classify(node.expression.expression);
    const accepts = method === 'send' ? 'kafka-producer' : 'kafka-consumer';
    if (!receiver || (receiver.type !== accepts && !isDeferred(receiver))) return undefined;
    const topic = ctx.property(arg0, method === 'send' ? ['topic'] : ['topic', 'topics']);
    return { role: method === 'send' ? 'producer' : 'consumer', transport: 'kafka', receiver, accepts, names: topic ? ctx.names(topic) : NONE, location };
  }
  return undefined;
}
