import type * as TsMorph from 'ts-morph';
import type { Location } from '../types.js';
import { ServiceNames, urlHostLabel } from '../rust/service-names.js';
import { isDeferred, type FileContext, type UrlSource, type Value } from './file-context.js';

/** Methods of axios, got and ky instances that send a request with the URL first. */
const REQUEST_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request']);
/** Modules whose `fetch` export is the WHATWG fetch. */
const FETCH_MODULES = new Set(['node-fetch', 'undici', 'cross-fetch']);

/** A request: `fetch(url)`, or a call on something that may be an HTTP client (resolved later when imported). */
export interface HttpCandidate {
  /** Absent for `fetch`; else the client the request is made with (its `baseURL`/`prefixUrl` counts). */
  receiver?: Value;
  url: UrlSource[];
  location: Location;
}

export function collectHttp(ctx: FileContext, node: TsMorph.ts.Node): HttpCandidate | undefined {
  const ts = ctx.ts;
  if (!ts.isCallExpression(node)) return undefined;
  const callee = ctx.unwrap(node.expression);
  const arg0 = node.arguments[0];
  const location = ctx.location(node.expression);
  // The URL of `client(url)`, `client({ url, baseURL })`, `client.get(url)`, `client.request({ url })`.
  const urlOf = (arg: TsMorph.ts.Expression | undefined): UrlSource[] => {
    if (!arg) return [];
    if (ts.isObjectLiteralExpression(ctx.unwrap(arg))) {
      return ['baseURL', 'prefixUrl', 'url'].flatMap((key) => {
        const value = ctx.property(arg, [key]);
        return value ? ctx.urlSources(value) : [];
      });
    }
    return ctx.urlSources(arg);
  };
  if (ts.isIdentifier(callee)) {
    if (callee.text === 'fetch') {
      const declaration = ctx.lookup('fetch', callee);
      const global = declaration === undefined || (declaration.kind === 'import' && FETCH_MODULES.has(declaration.module!));
      return global && arg0 ? { url: urlOf(arg0), location } : undefined;
    }
    const receiver = ctx.classify(callee);
    if (receiver?.type === 'http' || (isDeferred(receiver) && !(receiver.type === 'import' && receiver.called))) return { receiver, url: urlOf(arg0), location };
    return undefined;
  }
  if (ts.isPropertyAccessExpression(callee) && REQUEST_METHODS.has(callee.name.text)) {
    const receiver = ctx.classify(callee.expression);
    if (receiver?.type === 'http' || isDeferred(receiver)) return { receiver, url: urlOf(arg0), location };
  }
  return undefined;
}

/** `userServiceUrl` -> `user_service_url`; other spellings unchanged (Rust's rules take it from there). */
function snakeOfCamel(name: string): string {
  return /^[a-z][a-zA-Z0-9]*$/.test(name) && /[A-Z]/.test(name) ? name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase() : name;
}

export interface HttpTarget {
  unit: string;
  endpoint: string;
  location?: Location;
}

/**
 * Targets named by the URL's sources, with the Rust naming rules (decision 0012): env var names
 * (`USER_SERVICE_URL`), config fields (`userServiceUrl`, lowerCamel read as snake case), URL
 * literals' hosts. Best first: env, field, URL; one target per unit. `unknown` holds names that
 * look like a service's but match no unit.
 */
export function httpTargets(names: ServiceNames, sources: readonly UrlSource[], self: string): { targets: HttpTarget[]; unknown: string[] } {
  const found: (HttpTarget & { rank: number })[] = [];
  const unknown: string[] = [];
  for (const source of sources) {
    if (source.kind === 'ref') continue;
    const url = source.kind === 'url';
    const resolution = url ? names.resolveUrl(source.value) : names.resolveName(source.kind === 'field' ? snakeOfCamel(source.name) : source.name);
    const endpoint = url ? (urlHostLabel(source.value) !== undefined ? hostOf(source.value) : source.value) : source.name;
    const rank = source.kind === 'env' ? 1 : source.kind === 'field' ? 2 : 3;
    if (resolution.unit !== undefined) found.push({ unit: resolution.unit, endpoint, rank, location: source.location });
    else if (resolution.looksLikeService) unknown.push(endpoint);
  }
  const best = new Map<string, HttpTarget & { rank: number }>();
  for (const candidate of found) {
    if (candidate.unit === self) continue;
    const current = best.get(candidate.unit);
    if (!current || candidate.rank < current.rank) best.set(candidate.unit, candidate);
  }
  return { targets: [...best.values()].map(({ rank: _rank, ...target }) => target), unknown: found.length > 0 ? [] : unknown };
}

function hostOf(url: string): string {
  const match = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)/.exec(url.trim());
  return (match ? match[1]!.replace(/^.*@/, '') : url).replace(/:[^:]*$/, '');
}
