import type { Unit } from '../types.js';

/**
 * How code names another service: in an env var (`USER_SERVICE_URL`), a config field
 * (`user_service_url`), a URL (`http://user-service:8080/v1`), or a configured alias.
 *
 * Rules (deliberately exact; no fuzzy matching):
 * - A unit is known by its package name (`user-service`, any `@...` disambiguation and npm `@scope/` dropped) in
 *   three spellings: kebab (`user-service`), snake (`user_service`) and screaming snake
 *   (`USER_SERVICE`). CamelCase (`UserService`) is *not* a spelling: in Rust a CamelCase
 *   identifier is a type or variant (`UserServiceClient`, `Endpoint::UserService`), not a value
 *   holding an address, so accepting it would mostly match gRPC types.
 * - At most one suffix is stripped, case-insensitively: `_base_url`, `_url`, `_uri`, `_addr`,
 *   `_address`, `_endpoint`, `_host` (`USER_SERVICE_URL`, `user_service_base_url`).
 * - URL literals (`scheme://host...`) name the host's first DNS label
 *   (`https://user-service.nova.svc.cluster.local/x` -> `user-service`); `localhost`, IP
 *   addresses and templated hosts (`{host}`) name nothing.
 * - Config `aliases` (`{"identity": "identity-service"}`) add names, spelled and suffixed like
 *   unit names (`IDENTITY_URL`, `identity_addr`, `http://identity:8080`). An alias may point at
 *   any unit.
 * - Without an alias only units of kind `service` are targets: a library serves no requests, and
 *   a library named like a host (`auth`, `search`) would turn `AUTH_URL` into a false edge.
 * - Nothing else: `feed` is not `feed-service` unless aliased.
 */

const SUFFIXES = ['_base_url', '_address', '_endpoint', '_addr', '_host', '_url', '_uri'];

/** `user-service`, `user_service`, `USER_SERVICE`: one word group, one case. */
const SPELLING = /^(?:[a-z0-9]+(?:[-_][a-z0-9]+)*|[A-Z0-9]+(?:_[A-Z0-9]+)*)$/;

/** What a name resolved to. */
export interface NameResolution {
  /** The unit the name identifies, when one does. */
  unit?: string;
  /** The normalised key that was looked up (`user_service`), when the name had a usable shape. */
  key?: string;
  /** The name looks like a service's (`*_service`, `*-svc`, or an alias) even if no unit matches. */
  looksLikeService: boolean;
}

/** The canonical key of a spelling: lower snake case; undefined when it is not one of the accepted spellings. */
export function nameKey(spelling: string): string | undefined {
  if (!SPELLING.test(spelling)) return undefined;
  return spelling.toLowerCase().replace(/-/g, '_');
}

/** The name with one URL-ish suffix removed, or undefined when it has none. */
export function stripSuffix(name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const suffix of SUFFIXES) {
    if (lower.length > suffix.length && lower.endsWith(suffix)) return name.slice(0, name.length - suffix.length);
  }
  return undefined;
}

/** The first DNS label of a URL literal's host; undefined when not a URL or the host is local, an IP or templated. */
export function urlHostLabel(text: string): string | undefined {
  const match = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)/.exec(text.trim());
  if (!match) return undefined;
  let authority = match[1]!;
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  if (authority.startsWith('[')) return undefined; // IPv6
  const host = authority.replace(/:[^:]*$/, '');
  if (host === '' || /[{}$%<>]/.test(host)) return undefined;
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(host)) return undefined;
  const label = host.split('.')[0]!.toLowerCase();
  if (label === '' || label === 'localhost') return undefined;
  return label;
}

export function isUrlLiteral(text: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(text.trim());
}

function looksLikeServiceKey(key: string): boolean {
  return /(?:^|_)(?:service|svc)$/.test(key);
}

/** A unit's name without a `@path` disambiguation and without an npm scope: `@nova/worker` -> `worker`. */
function bareName(name: string): string {
  return name.replace(/(?!^)@.*$/, '').replace(/^@[^/]+\//, '');
}

/** Resolves names to units; build once per model. */
export class ServiceNames {
  private readonly byKey = new Map<string, string>();
  private readonly aliasKeys = new Set<string>();

  constructor(units: Iterable<Pick<Unit, 'name' | 'kind'>>, aliases: Readonly<Record<string, string>> = {}) {
    const names = new Set<string>();
    for (const unit of units) {
      names.add(unit.name);
      if (unit.kind !== 'service') continue;
      const key = nameKey(bareName(unit.name));
      if (key !== undefined && !this.byKey.has(key)) this.byKey.set(key, unit.name);
    }
    for (const [alias, target] of Object.entries(aliases)) {
      const key = nameKey(alias);
      if (key === undefined) continue;
      this.aliasKeys.add(key);
      // An alias to something that is not a unit still marks the name as a service's.
      if (names.has(target)) this.byKey.set(key, target);
    }
  }

  /** A bare name (env var, config field, string), with one suffix stripped when needed. */
  resolveName(name: string): NameResolution {
    let looksLikeService = false;
    let firstKey: string | undefined;
    const stripped = stripSuffix(name);
    for (const candidate of stripped === undefined ? [name] : [name, stripped]) {
      const key = nameKey(candidate);
      if (key === undefined) continue;
      firstKey ??= key;
      const unit = this.byKey.get(key);
      if (unit !== undefined) return { unit, key, looksLikeService: true };
      if (looksLikeServiceKey(key) || this.aliasKeys.has(key)) {
        looksLikeService = true;
        firstKey = key;
      }
    }
    return { ...(firstKey !== undefined ? { key: firstKey } : {}), looksLikeService };
  }

  /** A URL literal: its host's first label. */
  resolveUrl(url: string): NameResolution {
    const label = urlHostLabel(url);
    if (label === undefined) return { looksLikeService: false };
    const key = nameKey(label);
    if (key === undefined) return { looksLikeService: false };
    const unit = this.byKey.get(key);
    if (unit !== undefined) return { unit, key, looksLikeService: true };
    return { key, looksLikeService: looksLikeServiceKey(key) || this.aliasKeys.has(key) };
  }

  /** A URL literal or a name. */
  resolve(text: string): NameResolution {
    return isUrlLiteral(text) ? this.resolveUrl(text) : this.resolveName(text);
  }
}

/** One-off convenience: the unit a name or URL identifies, if any. */
export function unitForName(name: string, units: Iterable<Pick<Unit, 'name' | 'kind'>>, aliases: Readonly<Record<string, string>> = {}): string | undefined {
  return new ServiceNames(units, aliases).resolve(name).unit;
}
