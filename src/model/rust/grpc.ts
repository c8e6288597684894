import type { ProtoFile } from '../../scan/proto/proto.js';
import type { Diagnostic, Location } from '../types.js';
import { compareLocations, compareStrings } from '../../util/location.js';
import { EdgeSet } from './edge-set.js';
import { creditLibrarySites, type Site } from './library-calls.js';
import { expandThroughLets, isLibraryCode, scopeOf, significantReceiver, type SourceIndex, type UnitSources } from './source-index.js';

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
  const diagnostics: Diagnostic[] = [];
  const services = new Map<string, ProtoServiceInfo>();
  for (const proto of protos) {
    for (const service of proto.services) {
      if (services.has(service.name)) {
        const first = services.get(service.name)!;
        if (first.fullName !== service.fullName) {
          diagnostics.push({
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
  const servers = new Map<string, Set<string>>();
  const servedBy = new Map<string, Set<string>>();
  const serve = (unit: string, service: ProtoServiceInfo): void => {
    const set = servers.get(service.fullName) ?? new Set<string>();
    set.add(unit);
    servers.set(service.fullName, set);
    const byUnit = servedBy.get(unit) ?? new Set<string>();
    byUnit.add(service.fullName);
    servedBy.set(unit, byUnit);
  };
  for (const sources of index.units.values()) {
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

  // Servers in other languages (a TypeScript `server.addService(..)`) count for the clients here.
  for (const [service, units] of externalServers) {
    const set = servers.get(service) ?? new Set<string>();
    for (const unit of units) set.add(unit);
    servers.set(service, set);
  }

  // Hand-written stubs: a unit that defines `XClient` itself does not use the generated client.
  const stubs = new Set<string>();
  for (const sources of index.units.values()) {
    for (const file of sources.files) {
      for (const struct of file.facts.structs) {
        const service = clientType(struct.name);
        if (!service) continue;
        stubs.add(`${sources.unit.name}\u0000${struct.name}`);
        diagnostics.push({
          severity: 'info',
          code: 'grpc-client-stub',
          message: `\`${struct.name}\` is defined by hand here, not generated from ${service.fullName}; its uses in \`${sources.unit.name}\` are not gRPC edges`,
          location: struct.location,
        });
      }
    }
  }

  // Accessors: functions whose return type names a client (pool.content_client()).
  const accessors = new Map<string, Set<ProtoServiceInfo>>();
  for (const sources of index.units.values()) {
    for (const file of sources.files) {
      for (const fn of file.facts.fns) {
        if (scopeOf(file, fn) === 'test') continue;
        for (const ident of fn.returnIdents) {
          const service = clientType(ident);
          if (!service) continue;
          const set = accessors.get(fn.name) ?? new Set<ProtoServiceInfo>();
          set.add(service);
          accessors.set(fn.name, set);
        }
      }
    }
  }

  const edges = new EdgeSet();
  const librarySites: Site<ProtoServiceInfo>[] = [];
  const unserved = new Set<string>();
  const addUses = (sources: UnitSources, uses: ClientUse[], scope: 'prod' | 'test'): void => {
    for (const use of uses) {
      const targets = servers.get(use.service.fullName);
      if (!targets || targets.size === 0) {
        const key = `${sources.unit.name}\u0000${use.service.fullName}`;
        if (!unserved.has(key)) {
          unserved.add(key);
          diagnostics.push({
            severity: 'warning',
            code: 'grpc-service-not-served',
            message: `\`${sources.unit.name}\` uses a client of ${use.service.fullName}, which no unit serves (no \`${use.service.name}Server::new\` or \`impl ${snakeCase(use.service.name)}_server::${use.service.name}\` found); no edge`,
            location: use.location,
          });
        }
        continue;
      }
      for (const to of targets) {
        edges.add({
          from: sources.unit.name,
          to,
          kind: 'grpc',
          scope,
          usage: use.kind,
          service: use.service.fullName,
          evidence: [use.location],
          ...(use.kind === 'called' ? { calls: [use.location] } : {}),
        });
      }
    }
  };

  for (const sources of index.units.values()) {
    const isStub = (type: string): boolean => stubs.has(`${sources.unit.name}\u0000${type}`);
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
      const { facts } = file;
      const servicesIn = (idents: readonly string[]): ProtoServiceInfo[] => {
        const found: ProtoServiceInfo[] = [];
        for (const ident of idents) {
          const service = clientType(ident);
          if (service && !isStub(ident)) found.push(service);
          const viaAccessor = accessors.get(ident);
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
          const viaAccessor = accessors.get(call.name);
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
      // A library is not a node of the service graph: its calls are credited to its callers
      // below, and the clients it constructs (a pool for every service) are no edge at all.
      if (isLibraryCode(sources, file)) {
        for (const entry of called) {
          if (entry.fn >= 0) {
            librarySites.push({ unit: sources.unit.name, file, fn: entry.fn, location: entry.use.location, scope: entry.scope, payload: entry.use.service });
          }
        }
        continue;
      }
      for (const entry of [...called, ...declared]) addUses(sources, [entry.use], entry.scope);
    }
  }

  // Calls inside library functions belong to the units that call those functions.
  for (const credited of creditLibrarySites(index, librarySites)) {
    if (credited.inLibraryCode) continue;
    const service = credited.site.payload;
    for (const to of servers.get(service.fullName) ?? []) {
      edges.add({
        from: credited.unit,
        to,
        kind: 'grpc',
        scope: credited.scope,
        usage: 'called',
        service: service.fullName,
        evidence: [credited.callSite, credited.site.location],
        calls: [credited.callSite],
        via: credited.via,
      });
    }
  }
  diagnostics.sort((a, b) => compareLocations(a.location!, b.location!) || compareStrings(a.code, b.code));
  return { edges, diagnostics, servedBy };
}
