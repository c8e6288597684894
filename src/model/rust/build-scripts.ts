import path from 'node:path';
import type { CompiledProto } from '../types.js';
import { inFocus, type SourceIndex } from './source-index.js';

const posix = path.posix;

/**
 * Which `.proto` files each crate compiles in its build script, and whether tonic generates
 * servers and clients for them: `tonic_build::configure().build_server(true).build_client(false)
 * .compile(&["../proto/x.proto"], ..)`, `tonic_build::compile_protos("x.proto")`,
 * `prost_build::compile_protos(&[..], ..)` (messages only).
 */
export function readBuildScripts(index: SourceIndex, protoFiles: ReadonlySet<string>): Map<string, CompiledProto[]> {
  const result = new Map<string, CompiledProto[]>();
  for (const sources of index.units.values()) {
    if (!inFocus(index, sources.unit.name)) continue;
    const compiled: CompiledProto[] = [];
    for (const file of sources.files) {
      if (file.compiled.root !== 'build') continue;
      const { facts } = file;
      const crateDir = sources.unit.path;
      const flag = (name: string): boolean | undefined => {
        const call = facts.methodCalls.find((c) => c.name === name);
        if (!call) return undefined;
        return !call.args.idents.includes('false');
      };
      const usesTonic = facts.paths.some((p) => p.segments[0] === 'tonic_build' || p.segments[0] === 'tonic_prost_build');
      const server = usesTonic ? flag('build_server') ?? true : false;
      const client = usesTonic ? flag('build_client') ?? true : false;
      const protoArgs = [
        ...facts.methodCalls.filter((c) => c.name === 'compile' || c.name === 'compile_protos').map((c) => c.args),
        ...facts.paths.filter((p) => p.call && p.segments[p.segments.length - 1] === 'compile_protos' && p.args).map((p) => p.args!),
      ];
      for (const args of protoArgs) {
        for (const value of args.strings) {
          if (!value.value.endsWith('.proto')) continue;
          const repoPath = posix.normalize(crateDir === '.' ? value.value : posix.join(crateDir, value.value));
          if (compiled.some((c) => c.file === repoPath)) continue;
          compiled.push({ file: repoPath, server, client, found: protoFiles.has(repoPath), location: value.location });
        }
      }
    }
    if (compiled.length > 0) result.set(sources.unit.name, compiled);
  }
  return result;
}
