import { run, type RunResult } from '../../src/run.js';
import type { Edge } from '../../src/model/types.js';
import { crate, writeRepo, type FileMap } from './repo.js';

/** Runs the whole pipeline on an in-memory repository written to a temp dir. */
export async function runOn(files: FileMap, options: { includeTests?: boolean } = {}): Promise<RunResult> {
  const root = writeRepo(files);
  return run({ root, cwd: root, includeTests: options.includeTests ?? false });
}

/** A service crate: manifest (with extra sections) and a main.rs. */
export function service(name: string, main: string, sections = ''): FileMap {
  return { [`${name}/Cargo.toml`]: crate(name, sections), [`${name}/src/main.rs`]: main };
}

/** A library crate: manifest and lib.rs. */
export function library(dir: string, name: string, lib: string, sections = ''): FileMap {
  return { [`${dir}/Cargo.toml`]: crate(name, sections), [`${dir}/src/lib.rs`]: lib };
}

export function workspace(members: string[]): FileMap {
  return { 'Cargo.toml': `[workspace]\nmembers = ${JSON.stringify(members)}\n` };
}

/** `from->to:kind[:usage]` for edges of the given kinds, for compact assertions. */
export function edgeList(result: RunResult, kinds: Edge['kind'][]): string[] {
  return result.model.edges
    .filter((e) => kinds.includes(e.kind))
    .map((e) => `${e.from}->${e.to}:${e.kind}${e.usage ? `:${e.usage}` : ''}${e.scope === 'test' ? ':test' : ''}`);
}

export function proto(pkg: string, service: string, rpcs: string[]): string {
  return `syntax = "proto3";\npackage ${pkg};\nservice ${service} {\n${rpcs.map((r) => `  rpc ${r}(Req) returns (Res);`).join('\n')}\n}\n`;
}
