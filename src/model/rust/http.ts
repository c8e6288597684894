import type { ConstFact, ExpressionSummary, StringValue } from '../../scan/rust/facts.js';
import type { Diagnostic, Location, Scope, Unit } from '../types.js';
import { compareLocations, compareStrings } from '../../util/location.js';
import { EdgeSet } from './edge-set.js';
import { creditLibrarySites, type Site } from './library-calls.js';
import { ServiceNames, isUrlLiteral, stripSuffix } from './service-names.js';
import { crateIdent, inFocus, isLibraryCode, letsIn, readsFile, runsInCallers, sameLocation, scopeOf, significantReceiver, type SourceFile, type SourceIndex, type UnitSources } from './source-index.js';

// ---------------------------------------------------------------------------------------------
// Argument expansion shared with events.ts: what an argument is made of, through fn-local lets,
// identifiers captured by format strings, and string consts.
// ---------------------------------------------------------------------------------------------

/** An argument's identifiers and strings after following fn-local lets (and `{name}` captures in format strings). */
export interface ExpandedArgument {
  idents: Set<string>;
  strings: StringValue[];
  /** A format template (`"{}"`, `"{base}/x"`) took part: the value is built at run time. */
  templated: boolean;
}

const CAPTURE = /\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}/g;
const PLACEHOLDER = /\{[^{}]*\}/;

/** Identifiers captured by a format string (`"{base}/users/{id:?}"` gives base, id); `{{` escapes are skipped. */
function capturedIdents(text: string): string[] {
  const unescaped = text.replace(/\{\{|\}\}/g, '');
  return [...unescaped.matchAll(CAPTURE)].map((m) => m[1]!);
}

/** Follows the summary through lets of function `fn` (and format-string captures) up to `depth` levels. */
export function expandArgument(file: SourceFile, fn: number, summary: ExpressionSummary, depth = 3): ExpandedArgument {
  const idents = new Set<string>();
  const strings: StringValue[] = [];
  let templated = false;
  const seenStrings = new Set<string>();
  let frontier: ExpressionSummary[] = [summary];
  for (let level = 0; level <= depth && frontier.length > 0; level++) {
    const next: ExpressionSummary[] = [];
    const fresh: string[] = [];
    for (const part of frontier) {
      for (const s of part.strings) {
        const key = `${s.location.file}:${s.location.line}:${s.location.column}`;
        if (seenStrings.has(key)) continue;
        seenStrings.add(key);
        strings.push(s);
        if (PLACEHOLDER.test(s.value.replace(/\{\{|\}\}/g, ''))) templated = true;
        for (const name of capturedIdents(s.value)) if (!idents.has(name)) fresh.push(name);
      }
      for (const name of part.idents) if (!idents.has(name)) fresh.push(name);
    }
    for (const name of fresh) {
      if (idents.has(name)) continue;
      idents.add(name);
      if (fn < 0 || level === depth) continue;
      for (const binding of letsIn(file, fn)) {
        if (binding.name === name) next.push(binding.init);
      }
    }
    frontier = next;
  }
  return { idents, strings, templated };
}

/** String consts by name for a unit (and, as a fallback, for the units it depends on by crate edges). */
export class ConstLookup {
  private readonly byUnit = new Map<string, Map<string, { fact: ConstFact; file: SourceFile }[]>>();

  constructor(private readonly index: SourceIndex) {}

  private constsOf(unit: string): Map<string, { fact: ConstFact; file: SourceFile }[]> {
    let map = this.byUnit.get(unit);
    if (map) return map;
    map = new Map();
    for (const file of this.index.units.get(unit)?.files ?? []) {
      for (const fact of file.facts.consts) {
        const list = map.get(fact.name) ?? [];
        list.push({ fact, file });
        map.set(fact.name, list);
      }
    }
    this.byUnit.set(unit, map);
    return map;
  }

  /**
   * String values (with the location of the literal) of the consts named `name` visible from
   * `unit`: its own consts, else those of its direct crate dependencies. A const initialised from
   * another const is followed one level.
   */
  valuesOf(unit: string, name: string): StringValue[] {
    const own = this.constsOf(unit).get(name);
    const found = own && own.length > 0 ? own : [...new Set(this.index.units.get(unit)?.crateNames.values() ?? [])].flatMap((dep) => this.constsOf(dep).get(name) ?? []);
    const values: StringValue[] = [];
    for (const { fact, file } of found) {
      if (fact.value !== undefined) {
        values.push({ value: fact.value, location: fact.init.strings[0]?.location ?? fact.location });
        continue;
      }
      // `const TOPICS: &[&str] = &["a", "b"];`: every literal of the initialiser.
      if (fact.init.idents.length === 0) values.push(...fact.init.strings);
      for (const inner of fact.init.idents) {
        for (const other of this.constsOf(file.compiled.unit).get(inner) ?? []) {
          if (other.fact.value !== undefined) values.push({ value: other.fact.value, location: other.fact.init.strings[0]?.location ?? other.fact.location });
        }
      }
    }
    return values;
  }
}

/** The call (method call, path call or plain call) whose reported location is `location`, with its first argument. */
export function callAt(file: SourceFile, location: Location): { args: ExpressionSummary; fn: number; test: boolean } | undefined {
  const { facts } = file;
  for (const call of facts.methodCalls) if (sameLocation(call.location, location)) return call;
  for (const path of facts.paths) if (path.args && sameLocation(path.location, location)) return { args: path.args, fn: path.fn, test: path.test };
  for (const call of facts.calls) if (sameLocation(call.location, location)) return call;
  return undefined;
}

/** The compiled file of `unit` that contains `location`. */
export function fileAt(sources: UnitSources | undefined, location: Location): SourceFile | undefined {
  return sources?.files.find((f) => f.compiled.file === location.file);
}

/** Whether the expression uses a parameter of its enclosing function (`self` does not count). */
export function usesParameter(file: SourceFile, fn: number, idents: ReadonlySet<string>): boolean {
  const fact = fn >= 0 ? file.facts.fns[fn] : undefined;
  if (!fact) return false;
  return fact.paramIdents.some((p) => p !== 'self' && p !== 'mut' && idents.has(p));
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

/** Packages whose presence makes `.get(..)`, `.post(..)` ... calls HTTP requests. */
export const HTTP_CLIENT_CRATES = new Set(['reqwest', 'reqwest-middleware', 'hyper', 'hyper-util', 'ureq', 'surf', 'isahc', 'awc', 'attohttpc']);
/** Method names that send a request (the URL is the first argument, except `request(Method, url)`). */
const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'request']);
/** Crates with free functions `crate::get(url)` etc. */
const FREE_FUNCTION_CRATES = new Set(['reqwest', 'ureq', 'surf', 'isahc', 'attohttpc']);
/** Receivers that are maps or request parts, not clients: `headers.get(..)`, `req.headers().get(..)`. */
const MAP_RECEIVERS = new Set(['headers', 'headers()', 'params', 'query', 'map', 'env', 'vars', 'extensions', 'extensions()', 'cache', 'json', 'value', 'row', 'args', 'form']);
/** Identifiers of something that reads an env var or a setting by name. */
const SETTING_READER = /env|var|conf|setting/i;
const MAP_TYPE = /(?:Map|Set|Vec|Value|Row|Json|Cache|Headers|Extensions)$/;

export interface HttpTarget {
  unit: string;
  /** The name that identified it: env var, config field or URL host. */
  endpoint: string;
  /** The string literal that named it, when it was one. */
  location?: Location;
}

interface HttpCandidate extends HttpTarget {
  rank: number;
}

interface LibraryHttpPayload {
  targets: HttpTarget[];
  /** The URL comes from a parameter: resolve it at the callers' call sites. */
  fromParameter: boolean;
}

export interface HttpResult {
  edges: EdgeSet;
  diagnostics: Diagnostic[];
}

/** Names of a URL argument, best first: env var names, then config idents, then URL hosts. */
function httpCandidates(
  names: ServiceNames,
  expanded: ExpandedArgument,
  constValues: (name: string) => StringValue[],
  crateNames: ReadonlyMap<string, string>,
): { found: HttpCandidate[]; unknown: string[] } {
  const found: HttpCandidate[] = [];
  const unknown: string[] = [];
  const consider = (text: string, rank: number, location: Location | undefined, url: boolean): void => {
    const resolution = url ? names.resolveUrl(text) : names.resolveName(text);
    const endpoint = url ? hostOf(text) : text;
    if (resolution.unit !== undefined) found.push({ unit: resolution.unit, endpoint, rank, ...(location ? { location } : {}) });
    else if (resolution.looksLikeService) unknown.push(endpoint);
  };
  const strings = [...expanded.strings];
  for (const ident of expanded.idents) strings.push(...constValues(ident));
  // A name in a string is an env var or config key only when something reads one (`env::var`,
  // `env_or`, `settings.get_string`); `map.get("USER_SERVICE_URL")` is a lookup, not a request.
  const readsSetting = [...expanded.idents].some((i) => SETTING_READER.test(i));
  for (const s of strings) {
    if (isUrlLiteral(s.value)) consider(s.value, 3, s.location, true);
    // Env var names and config keys: `USER_SERVICE_URL`, `user_service_url` (a suffix is required).
    else if (readsSetting && /^[A-Za-z][A-Za-z0-9_]*$/.test(s.value) && stripSuffix(s.value) !== undefined) consider(s.value, 1, s.location, false);
  }
  for (const ident of expanded.idents) {
    // Config fields and consts: `user_service_url`, `USER_SERVICE_URL`; a bare `user_service` only when it names
    // a unit and is not how this unit names a crate it depends on (`user_service::key(id)` is a path).
    if (stripSuffix(ident) !== undefined) consider(ident, 2, undefined, false);
    else if (!crateNames.has(ident)) {
      const resolution = names.resolveName(ident);
      if (resolution.unit !== undefined) found.push({ unit: resolution.unit, endpoint: ident, rank: 2 });
    }
  }
  return { found, unknown };
}

function hostOf(url: string): string {
  const match = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)/.exec(url.trim());
  const authority = match ? match[1]!.replace(/^.*@/, '') : url;
  return authority.replace(/:[^:]*$/, '');
}

/** One target per unit (the best-ranked name), the caller excluded. */
function pickTargets(candidates: readonly HttpCandidate[], self: string): HttpTarget[] {
  const best = new Map<string, HttpCandidate>();
  for (const candidate of candidates) {
    if (candidate.unit === self) continue;
    const current = best.get(candidate.unit);
    if (!current || candidate.rank < current.rank || (candidate.rank === current.rank && compareStrings(candidate.endpoint, current.endpoint) < 0)) best.set(candidate.unit, candidate);
  }
  return [...best.values()].map(({ rank: _rank, ...target }) => target);
}

/** Whether the method's receiver is evidently a map or request part rather than an HTTP client. */
function isMapReceiver(file: SourceFile, fn: number, receiver: readonly string[]): boolean {
  const step = significantReceiver(receiver);
  if (step === undefined) return false;
  if (MAP_RECEIVERS.has(step)) return true;
  if (step.endsWith('()')) return false;
  const typed = (idents: readonly string[]): boolean => idents.some((i) => MAP_TYPE.test(i));
  // `let urls = HashMap::new()`, but not `let client = Client::builder().default_headers(HeaderMap::new())`.
  const built = (idents: readonly string[]): boolean => typed(idents) && !idents.some((i) => /client|builder|reqwest|hyper/i.test(i));
  for (const binding of letsIn(file, fn)) {
    if (binding.name === step && (typed(binding.typeIdents) || built(binding.init.idents))) return true;
  }
  for (const field of file.facts.fields) {
    if (field.name === step && typed(field.typeIdents)) return true;
  }
  return false;
}

interface HttpCall {
  args: ExpressionSummary;
  fn: number;
  location: Location;
  scope: Scope;
}

/** What a unit's external dependencies say about its HTTP calls: computed once per unit, not per file. */
interface HttpCrates {
  /** External crates by their name in code. */
  crates: Set<string>;
  hasClient: boolean;
}

function httpCratesOf(sources: UnitSources): HttpCrates {
  return { crates: new Set([...sources.externalCrates].map(crateIdent)), hasClient: [...sources.externalCrates].some((c) => HTTP_CLIENT_CRATES.has(c)) };
}

/** HTTP request sites of a file: client method calls (when the unit has an HTTP client) and `reqwest::get(..)`-style calls. */
function httpCalls({ crates, hasClient }: HttpCrates, file: SourceFile): HttpCall[] {
  const calls: HttpCall[] = [];
  for (const path of file.facts.paths) {
    if (!path.call || !path.args) continue;
    const segments = path.segments[0] === '' ? path.segments.slice(1) : path.segments;
    const root = segments[0]!;
    const last = segments[segments.length - 1]!;
    const freeFunction = segments.length >= 2 && FREE_FUNCTION_CRATES.has(root) && crates.has(root);
    // hyper / http: `Request::get(uri)`, `hyper::Request::post(uri)`.
    const requestBuilder = segments.length >= 2 && segments[segments.length - 2] === 'Request' && (crates.has('hyper') || crates.has('hyper_util'));
    if ((freeFunction || requestBuilder) && HTTP_METHODS.has(last)) {
      calls.push({ args: path.args, fn: path.fn, location: path.location, scope: scopeOf(file, path) });
    }
  }
  if (!hasClient) return calls;
  const hasHyper = crates.has('hyper') || crates.has('hyper_util');
  for (const call of file.facts.methodCalls) {
    const request = HTTP_METHODS.has(call.name) || (hasHyper && call.name === 'uri' && call.receiver.includes('builder()'));
    if (!request || isMapReceiver(file, call.fn, call.receiver)) continue;
    calls.push({ args: call.args, fn: call.fn, location: call.location, scope: scopeOf(file, call) });
  }
  return calls;
}

/**
 * HTTP edges: a request (`client.get(url)`, `reqwest::get(url)`) whose URL is built from a name
 * that identifies another service: an env var (`USER_SERVICE_URL`), a config field
 * (`user_service_url`), a URL literal's host, or a configured alias. Requests made inside library
 * functions are credited to the units that call those functions; when the library takes the URL
 * as a parameter, it is resolved at the caller's call site.
 */
export function resolveHttpEdges(
  index: SourceIndex,
  aliases: Readonly<Record<string, string>> = {},
  otherUnits: readonly Unit[] = [],
  /** Every Rust unit, when the index holds only some (a batch): any of them may be a target. */
  allRustUnits: readonly Unit[] = [...index.units.values()].map((s) => s.unit),
): HttpResult {
  // Units of other languages are targets too: a Rust service may call a TypeScript one.
  const names = new ServiceNames([...allRustUnits, ...otherUnits], aliases);
  const consts = new ConstLookup(index);
  const edges = new EdgeSet();
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<string>();
  const librarySites: Site<LibraryHttpPayload>[] = [];

  const reportUnknown = (unknown: readonly string[], location: Location): void => {
    if (unknown.length === 0) return;
    const endpoint = [...new Set(unknown)].sort(compareStrings)[0]!;
    const key = `${location.file}:${location.line}:${location.column}`;
    if (reported.has(key)) return;
    reported.add(key);
    diagnostics.push({
      severity: 'info',
      code: 'http-target-unknown',
      message: `HTTP request to \`${endpoint}\`, which names no unit (add an \`aliases\` entry in the config if it is one); no edge`,
      location,
    });
  };

  const resolveAt = (sources: UnitSources, file: SourceFile, fn: number, args: ExpressionSummary): { targets: HttpTarget[]; unknown: string[]; expanded: ExpandedArgument } => {
    const expanded = expandArgument(file, fn, args);
    const { found, unknown } = httpCandidates(names, expanded, (name) => consts.valuesOf(sources.unit.name, name), sources.crateNames);
    const targets = pickTargets(found, sources.unit.name);
    const resolvedSelf = found.some((c) => c.unit === sources.unit.name);
    return { targets, unknown: found.length > 0 || resolvedSelf ? [] : unknown, expanded };
  };

  for (const sources of index.units.values()) {
    const from = sources.unit.name;
    const httpCrates = httpCratesOf(sources);
    const reports = inFocus(index, from);
    for (const file of sources.files) {
      if (!readsFile(index, sources, file)) continue;
      for (const call of httpCalls(httpCrates, file)) {
        const { targets, unknown, expanded } = resolveAt(sources, file, call.fn, call.args);
        // Libraries originate no HTTP edges: their requests are credited to their callers below
        // (a service's lib target is credited to its callers too, and is its own as well).
        if (!isLibraryCode(sources, file) && reports) {
          for (const target of targets) {
            edges.add({
              from,
              to: target.unit,
              kind: 'http',
              scope: call.scope,
              usage: 'called',
              endpoint: target.endpoint,
              evidence: target.location ? [call.location, target.location] : [call.location],
              calls: [call.location],
            });
          }
        }
        if (runsInCallers(file) && call.fn >= 0) {
          const fromParameter = targets.length === 0 && usesParameter(file, call.fn, expanded.idents);
          if (targets.length > 0 || fromParameter) {
            librarySites.push({ unit: from, file, fn: call.fn, location: call.location, scope: call.scope, payload: { targets, fromParameter } });
          }
          // A library's callers supply the URL; a service's own calls of it may not.
          if (fromParameter && isLibraryCode(sources, file)) continue;
        }
        if (reports) reportUnknown(unknown, call.location);
      }
    }
  }

  // Requests made inside library functions belong to the units that call those functions.
  for (const credited of creditLibrarySites(index, librarySites)) {
    const caller = index.units.get(credited.unit)!;
    if (credited.inLibraryCode || !inFocus(index, credited.unit)) continue;
    let targets = credited.site.payload.targets;
    if (credited.site.payload.fromParameter) {
      const file = fileAt(caller, credited.callSite);
      const call = file ? callAt(file, credited.callSite) : undefined;
      if (!file || !call) continue;
      const resolved = resolveAt(caller, file, call.fn, call.args);
      targets = resolved.targets;
      reportUnknown(resolved.unknown, credited.callSite);
    }
    for (const target of targets) {
      if (target.unit === credited.unit) continue;
      edges.add({
        from: credited.unit,
        to: target.unit,
        kind: 'http',
        scope: credited.scope,
        usage: 'called',
        endpoint: target.endpoint,
        evidence: [credited.callSite, credited.site.location, ...(target.location ? [target.location] : [])],
        calls: [credited.callSite],
        via: credited.via,
      });
    }
  }
  diagnostics.sort((a, b) => compareLocations(a.location!, b.location!) || compareStrings(a.code, b.code));
  return { edges, diagnostics };
}
