import type { ProtoFile } from '../../scan/proto/proto.js';
import type { Diagnostic, Location } from '../types.js';
import { compareLocations, compareStrings } from '../../util/location.js';
import { EdgeSet } from './edge-set.js';
import { creditLibrarySites, transitiveDependencies, type Site } from './library-calls.js';
import { expandThroughLets, inFocus, isLibraryCode, readsFile, runsInCallers, scopeOf, significantReceiver, type SourceIndex, type UnitSources } from './source-index.js';

/** prost/tonic naming: `GetPostsByIds` -> `get_posts_by_ids`, `ContentService` -> `content_service`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

interface ProtoServiceInfo {
  name: string;
  fullName: string;
  rpcs: Set<string>;
  location: Location;
}

/** Associated functions that make a generated client or server. */
const CLIENT_CONSTRUCTORS = new Set(['connect', 'new', 'with_interceptor', 'with_origin', 'from_shared']);
const SERVER_CONSTRUCTORS = new Set(['new', 'from_arc', 'with_interceptor']);

export interface GrpcResult {
  edges: EdgeSet;
  diagnostics: Diagnostic[];
  /** Unit -> fully qualified services it serves. */
  servedBy: Map<string, Set<string>>;
}

interface ClientUse {
  service: ProtoServiceInfo;
  location: Location;
  kind: 'declared' | 'called';
}

/** A client of a service used by a unit, directly or (`credited`) through a library function. */
interface GrpcUse {
  unit: string;
  service: ProtoServiceInfo;
  kind: 'declared' | 'called';
  scope: 'prod' | 'test';
  location: Location;
  credited?: { evidence: Location[]; via: { unit: string; function: string }[] };
}

/**
 * What the gRPC resolver reads from one index, before it is matched with servers: the servers
 * and client uses of the index's focus units. Batches of a large workspace each give one, and
 * `grpcEdgesOf` matches all of them at once, since a client and its server may be in different
 * batches.
 */
export interface GrpcUses {
  servedBy: Map<string, Set<string>>;
  uses: GrpcUse[];
  /** About the focus units' code (hand-written stubs). */
  diagnostics: Diagnostic[];
  /** About the protos (service name clashes): the same from every index. */
  protoDiagnostics: Diagnostic[];
}

/**
 * gRPC edges: a unit that obtains a client of a service another unit serves (`declared`) or
 * invokes one of its RPCs on it (`called`). Calls made inside library functions are credited to
 * the units that call those functions, so libraries originate no gRPC edges themselves, and
 * merely depending on a shared client crate is no edge.
 */
export function resolveGrpcEdges(
  index: SourceIndex,
  protos: readonly ProtoFile[],
  /** Services other languages' units serve (fully qualified name -> units): clients of them are edges too. */
  externalServers: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
): GrpcResult {
  return grpcEdgesOf([collectGrpcUses(index, protos)], externalServers);
}

/** Matches client uses with the units that serve their services: edges, and a warning for a service nobody serves. */
export function grpcEdgesOf(collected: readonly GrpcUses[], externalServers: ReadonlyMap<string, ReadonlySet<string>> = new Map()): GrpcResult {
  const diagnostics: Diagnostic[] = [...(collected[0]?.protoDiagnostics ?? [])];
  const servedBy = new Map<string, Set<string>>();
  const servers = new Map<string, Set<string>>();
  const serve = (unit: string, service: string): void => {
    const set = servers.get(service) ?? new Set<string>();
    set.add(unit);
    servers.set(service, set);
  };
  for (const part of collected) {
    for (const [unit, services] of part.servedBy) {
      servedBy.set(unit, new Set([...(servedBy.get(unit) ?? []), ...services]));
      for (const service of services) serve(unit, service);
    }
    diagnostics.push(...part.diagnostics);
  }
  // Servers in other languages (a TypeScript `server.addService(..)`) count for the clients here.
  for (const [service, units] of externalServers) for (const unit of units) serve(unit, service);

  const edges = new EdgeSet();
  const unserved = new Set<string>();
  for (const part of collected) {
    for (const use of part.uses) {
      const targets = servers.get(use.service.fullName);
      if (use.credited) {
        // Calls inside library functions belong to the units that call those functions.
        for (const to of targets ?? []) {
          edges.add({ from: use.unit, to, kind: 'grpc', scope: use.scope, usage: 'called', service: use.service.fullName, evidence: use.credited.evidence, calls: [use.location], via: use.credited.via });
        }
        continue;
      }
      if (!targets || targets.size === 0) {
        const key = `${use.unit}\u0000${use.service.fullName}`;
        if (!unserved.has(key)) {
          unserved.add(key);
          diagnostics.push({
            severity: 'warning',
            code: 'grpc-service-not-served',
            message: `\`${use.unit}\` uses a client of ${use.service.fullName}, which no unit serves (no \`${use.service.name}Server::new\` or \`impl ${snakeCase(use.service.name)}_server::${use.service.name}\` found); no edge`,
            location: use.location,
          });
        }
        continue;
      }
      for (const to of targets) {
        edges.add({
          from: use.unit,
          to,
          kind: 'grpc',
          scope: use.scope,
          usage: use.kind,
          service: use.service.fullName,
          evidence: [use.location],
          ...(use.kind === 'called' ? { calls: [use.location] } : {}),
        });
      }
    }
  }
  diagnostics.sort((a, b) => compareLocations(a.location!, b.location!) || compareStrings(a.code, b.code));
  return { edges, diagnostics, servedBy };
}

/** The servers and client uses of the focus units of `index` (see GrpcUses). */
export function collectGrpcUses(index: SourceIndex, protos: readonly ProtoFile[]): GrpcUses {
  const protoDiagnostics: Diagnostic[] = [];
  const diagnostics: Diagnostic[] = [];
  const services = new Map<string, ProtoServiceInfo>();
  for (const proto of protos) {
    for (const service of proto.services) {
      if (services.has(service.name)) {
        const first = services.get(service.name)!;
        if (first.fullName !== service.fullName) {
          protoDiagnostics.push({
            severity: 'info',
            code: 'grpc-service-name-clash',
            message: `two proto services are named ${service.name} (${first.fullName} and ${service.fullName}); clients are matched to the first`,
            location: service.location,
          });
        }
        continue;
      }
      services.set(service.name, { name: service.name, fullName: service.fullName, rpcs: new Set(service.rpcs.map((r) => snakeCase(r.name))), location: service.location });
    }
  }
  const byClientType = new Map([...services.values()].map((s) => [`${s.name}Client`, s]));
  const servicesByRpc = new Map<string, ProtoServiceInfo[]>();
  for (const service of services.values()) {
    for (const rpc of service.rpcs) servicesByRpc.set(rpc, [...(servicesByRpc.get(rpc) ?? []), service]);
  }
  const byServerType = new Map([...services.values()].map((s) => [`${s.name}Server`, s]));
  // Most identifiers name no generated type: a suffix test is cheaper than hashing them all.
  const clientType = (ident: string): ProtoServiceInfo | undefined => (ident.endsWith('Client') ? byClientType.get(ident) : undefined);
  const serverType = (ident: string): ProtoServiceInfo | undefined => (ident.endsWith('Server') ? byServerType.get(ident) : undefined);

  // Who serves what (production code only; a mock server in a test serves nothing).
  const servedBy = new Map<string, Set<string>>();
  const serve = (unit: string, service: ProtoServiceInfo): void => {
    const byUnit = servedBy.get(unit) ?? new Set<string>();
    byUnit.add(service.fullName);
    servedBy.set(unit, byUnit);
  };
  for (const sources of index.units.values()) {
    if (!inFocus(index, sources.unit.name)) continue;
    for (const file of sources.files) {
      const { facts } = file;
      for (const path of facts.paths) {
        if (!path.call || scopeOf(file, path) === 'test') continue;
        for (let i = 0; i + 1 < path.segments.length; i++) {
          const service = serverType(path.segments[i]!);
          if (service && SERVER_CONSTRUCTORS.has(path.segments[i + 1]!)) serve(sources.unit.name, service);
        }
      }
      for (const impl of facts.impls) {
        if (!impl.traitPath || scopeOf(file, impl) === 'test') continue;
        const traitName = impl.traitPath[impl.traitPath.length - 1]!;
        const service = services.get(traitName);
        if (!service) continue;
        const module = `${snakeCase(service.name)}_server`;
        const qualified = impl.traitPath.includes(module);
        const imported = facts.uses.some((u) => u.segments.includes(module) && (u.segments[u.segments.length - 1] === traitName || u.glob));
        if (qualified || imported) serve(sources.unit.name, service);
      }
    }
  }

  // Hand-written stubs: a unit that defines `XClient` itself does not use the generated client.
  const stubs = new Set<string>();
  for (const sources of index.units.values()) {
    for (const file of sources.files) {
      for (const struct of file.facts.structs) {
        const service = clientType(struct.name);
        if (!service) continue;
        stubs.add(`${sources.unit.name}\u0000${struct.name}`);
        if (!inFocus(index, sources.unit.name)) continue;
        diagnostics.push({
          severity: 'info',
          code: 'grpc-client-stub',
          message: `\`${struct.name}\` is defined by hand here, not generated from ${service.fullName}; its uses in \`${sources.unit.name}\` are not gRPC edges`,
          location: struct.location,
        });
      }
    }
  }

  // Accessors: functions whose return type names a client (pool.content_client()). A unit can
  // call only its own functions and its dependencies', so each sees the accessors of those.
  const accessorsByName = new Map<string, { unit: string; service: ProtoServiceInfo }[]>();
  for (const sources of index.units.values()) {
    for (const file of sources.files) {
      for (const fn of file.facts.fns) {
        if (scopeOf(file, fn) === 'test') continue;
        for (const ident of fn.returnIdents) {
          const service = clientType(ident);
          if (!service) continue;
          const list = accessorsByName.get(fn.name);
          const entry = { unit: sources.unit.name, service };
          if (list === undefined) accessorsByName.set(fn.name, [entry]);
          else list.push(entry);
        }
      }
    }
  }
  const dependencies = transitiveDependencies(index);
  const accessorsOf = (unit: string): ((name: string) => Set<ProtoServiceInfo> | undefined) => {
    const visible = dependencies.get(unit) ?? new Set<string>();
    const cache = new Map<string, Set<ProtoServiceInfo> | undefined>();
    return (name) => {
      if (cache.has(name)) return cache.get(name);
      let found: Set<ProtoServiceInfo> | undefined;
      for (const entry of accessorsByName.get(name) ?? []) if (entry.unit === unit || visible.has(entry.unit)) (found ??= new Set()).add(entry.service);
      cache.set(name, found);
      return found;
    };
  };

  const uses: GrpcUse[] = [];
  const librarySites: Site<ProtoServiceInfo>[] = [];
  const addUses = (sources: UnitSources, found: ClientUse[], scope: 'prod' | 'test'): void => {
    for (const use of found) uses.push({ unit: sources.unit.name, service: use.service, kind: use.kind, scope, location: use.location });
  };

  for (const sources of index.units.values()) {
    const isStub = (type: string): boolean => stubs.has(`${sources.unit.name}\u0000${type}`);
    const accessors = accessorsOf(sources.unit.name);
    const fieldServices = new Map<string, Set<ProtoServiceInfo>>();
    for (const file of sources.files) {
      for (const field of file.facts.fields) {
        for (const ident of field.typeIdents) {
          const service = clientType(ident);
          if (!service || isStub(ident)) continue;
          const set = fieldServices.get(field.name) ?? new Set<ProtoServiceInfo>();
          set.add(service);
          fieldServices.set(field.name, set);
        }
      }
    }
    for (const file of sources.files) {
      if (!readsFile(index, sources, file)) continue;
      const { facts } = file;
      const servicesIn = (idents: readonly string[]): ProtoServiceInfo[] => {
        const found: ProtoServiceInfo[] = [];
        for (const ident of idents) {
          const service = clientType(ident);
          if (service && !isStub(ident)) found.push(service);
          const viaAccessor = accessors(ident);
          if (viaAccessor !== undefined) for (const accessed of viaAccessor) found.push(accessed);
        }
        return found;
      };
      const declared: { use: ClientUse; fn: number; scope: 'prod' | 'test' }[] = [];
      const called: { use: ClientUse; fn: number; scope: 'prod' | 'test' }[] = [];
      // Declarations: XClient::connect(..) and friends, and accessor calls.
      for (const path of facts.paths) {
        if (!path.call) continue;
        for (let i = 0; i + 1 < path.segments.length; i++) {
          const type = path.segments[i]!;
          const service = clientType(type);
          if (service && !isStub(type) && CLIENT_CONSTRUCTORS.has(path.segments[i + 1]!)) {
            declared.push({ use: { service, location: path.location, kind: 'declared' }, fn: path.fn, scope: scopeOf(file, path) });
          }
        }
      }
      // Method calls first, then plain calls (two loops: no concatenated copy, no empty array per miss).
      for (const calls of [facts.methodCalls, facts.calls]) {
        for (const call of calls) {
          const viaAccessor = accessors(call.name);
          if (viaAccessor === undefined) continue;
          for (const service of viaAccessor) {
            declared.push({ use: { service, location: call.location, kind: 'declared' }, fn: call.fn, scope: scopeOf(file, call) });
          }
        }
      }
      // Calls: .rpc_name(..) on something that holds a client of a service with that RPC.
      for (const call of facts.methodCalls) {
        const candidates = servicesByRpc.get(call.name);
        if (candidates === undefined) continue;
        const step = significantReceiver(call.receiver);
        let held: ProtoServiceInfo[] = [];
        if (step === undefined) continue;
        if (step.endsWith('()')) {
          held = servicesIn([step.slice(0, -2), ...call.receiver]);
        } else {
          const binding = expandThroughLets(file, call.fn, { idents: [step], strings: [] });
          held = servicesIn(binding.idents);
          for (const service of fieldServices.get(step) ?? []) held.push(service);
          const fn = call.fn >= 0 ? facts.fns[call.fn] : undefined;
          if (fn && fn.paramIdents.includes(step)) held.push(...servicesIn(fn.paramIdents));
          held.push(...servicesIn(call.receiver));
        }
        for (const service of candidates) {
          if (!held.includes(service)) continue;
          called.push({ use: { service, location: call.location, kind: 'called' }, fn: call.fn, scope: scopeOf(file, call) });
        }
      }
      // Calls in a lib target run in the units that call into it: they are credited to them
      // below. A library is not a node of the service graph, so that is all its calls are, and
      // the clients it constructs (a pool for every service) are no edge at all. A service's lib
      // target is also the service's own code.
      if (runsInCallers(file)) {
        for (const entry of called) {
          if (entry.fn >= 0) {
            librarySites.push({ unit: sources.unit.name, file, fn: entry.fn, location: entry.use.location, scope: entry.scope, payload: entry.use.service });
          }
        }
      }
      if (isLibraryCode(sources, file) || !inFocus(index, sources.unit.name)) continue;
      for (const entry of [...called, ...declared]) addUses(sources, [entry.use], entry.scope);
    }
  }

  // Calls inside library functions belong to the units that call those functions.
  for (const credited of creditLibrarySites(index, librarySites)) {
    if (credited.inLibraryCode || !inFocus(index, credited.unit)) continue;
    uses.push({
      unit: credited.unit,
      service: credited.site.payload,
      kind: 'called',
      scope: credited.scope,
      location: credited.callSite,
      credited: { evidence: [credited.callSite, credited.site.location], via: credited.via },
    });
  }
  return { servedBy, uses, diagnostics, protoDiagnostics };
}
