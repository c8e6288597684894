import type * as TsMorph from 'ts-morph';
import type { Location } from '../types.js';
import { isDeferred, type FileContext, type Value } from './file-context.js';

/** A proto service as code names it: a dotted path under `loadPackageDefinition` (`nova.user.v1.UserService`) or a bare name. */
export interface GrpcServiceRef {
  name: string;
  full?: string;
}

export type GrpcCandidate =
  /** A client constructed (`new UserServiceClient(..)`, `createClient(UserService, transport)`). */
  | { kind: 'client'; service: GrpcServiceRef; location: Location }
  /** A method called on something that may hold a client. */
  | { kind: 'call'; receiver: Value; method: string; location: Location }
  /** `server.addService(UserService.service, impl)`, `server.addService(UserServiceService, impl)`, Connect `router.service(UserService, impl)`. */
  | { kind: 'server'; service: GrpcServiceRef; location: Location };

export function collectGrpc(ctx: FileContext, node: TsMorph.ts.Node): GrpcCandidate | undefined {
  const ts = ctx.ts;
  const connect = ts.isCallExpression(node) && /^@(connectrpc|bufbuild)\/connect$/.test(ctx.importedName(node.expression)?.module ?? '');
  if (ts.isNewExpression(node) || connect) {
    const value = ctx.classify(node);
    if (value?.type === 'grpc-client') return { kind: 'client', service: { name: value.name, ...(value.full ? { full: value.full } : {}) }, location: ctx.location(node) };
    // `new UserServiceClient(..)` imported from generated code: a client of `UserService` if a proto declares it.
    if (value?.type === 'new' && value.grpc !== undefined) return { kind: 'client', service: { name: value.grpc }, location: ctx.location(node) };
    return undefined;
  }
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return undefined;
  const method = node.expression.name.text;
  const receiver = ctx.classify(node.expression.expression);
  // grpc-js `server.addService(X.service, impl)`; Connect `router.service(X, impl)` on a ConnectRouter.
  if ((method === 'addService' || method === 'service') && receiver?.type === 'grpc-server' && node.arguments[0]) {
    const service = serverService(ctx, node.arguments[0]);
    return service ? { kind: 'server', service, location: ctx.location(node.expression.name) } : undefined;
  }
  // A call is located at the start of its call expression (`client` of `client.getUser(..)`), like every TS call site.
  if (receiver?.type === 'grpc-client' || isDeferred(receiver)) return { kind: 'call', receiver, method, location: ctx.location(node.expression) };
  return undefined;
}

/** The service of `addService`'s first argument: `X.service` (proto-loader, grpc-tools) or `XService` (ts-proto's `UserServiceService`). */
function serverService(ctx: FileContext, arg: TsMorph.ts.Expression): GrpcServiceRef | undefined {
  const ts = ctx.ts;
  const node = ctx.unwrap(arg);
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'service') {
    const owner = ctx.classify(node.expression);
    if (owner?.type === 'grpc-package' && owner.path.length > 0) return { name: owner.path[owner.path.length - 1]!, full: owner.path.join('.') };
    const inner = ctx.unwrap(node.expression);
    if (ts.isIdentifier(inner)) return { name: inner.text };
    if (ts.isPropertyAccessExpression(inner)) return { name: inner.name.text };
    return undefined;
  }
  if (ts.isIdentifier(node) && /^[A-Z]\w*ServiceService$/.test(node.text)) return { name: node.text.slice(0, -'Service'.length) };
  if (ts.isIdentifier(node) && /^[A-Z]\w*Service$/.test(node.text)) return { name: node.text };
  return undefined;
}

/** gRPC JS clients call RPCs by the lowerCamel of their name (`GetUser` -> `getUser`), or as written. */
export function rpcMethodNames(rpc: string): string[] {
  return [...new Set([rpc.charAt(0).toLowerCase() + rpc.slice(1), rpc])];
}
