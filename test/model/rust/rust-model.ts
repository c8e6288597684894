import { readFileSync } from 'node:fs';
import path from 'node:path';
import { discoverFiles } from '../../../src/discover/files.js';
import { buildCargoGraph, type UnitClassification } from '../../../src/model/cargo.js';
import { buildRustModel, type RustModel } from '../../../src/model/rust/index.js';
import type { Edge, Location, Unit } from '../../../src/model/types.js';
import { scanCargoManifest } from '../../../src/scan/cargo/manifest.js';
import { scanRustFile } from '../../../src/scan/rust/facts.js';
import type { FileMap } from '../../helpers/repo.js';

export interface RustModelOf extends RustModel {
  units: Unit[];
}

/** Units, crate edges and the Rust source model of an in-memory repository (no disk). */
export function rustModelOf(
  files: FileMap,
  options: { aliases?: Record<string, string>; classification?: UnitClassification } = {},
): RustModelOf {
  const manifests = Object.entries(files)
    .filter(([file]) => file === 'Cargo.toml' || file.endsWith('/Cargo.toml'))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([file, text]) => scanCargoManifest(file, text));
  const fileList = Object.keys(files).sort();
  const cargo = buildCargoGraph(manifests, new Set(fileList), options.classification ?? { services: undefined, libraries: undefined });
  const readFacts = (file: string) => (files[file] === undefined ? undefined : scanRustFile(file, files[file]!));
  const rust = buildRustModel(cargo.units, cargo.edges, new Map(manifests.map((m) => [m.file, m])), fileList, [], readFacts, options.aliases ?? {});
  return { ...rust, units: cargo.units };
}

/** The same for a fixture directory on disk (every file read; `target/` skipped). */
export function rustModelOfDirectory(root: string, options: { aliases?: Record<string, string>; classification?: UnitClassification } = {}): RustModelOf {
  const { files } = discoverFiles(root, ['**/target/**']);
  const map: FileMap = {};
  for (const file of files) if (file.endsWith('.rs') || file.endsWith('Cargo.toml')) map[file] = readFileSync(path.join(root, file), 'utf8');
  return rustModelOf(map, options);
}

export const at = (l: Location): string => `${l.file}:${l.line}:${l.column}`;

/** An edge as a compact row for exact comparisons. */
export function row(edge: Edge): Record<string, unknown> {
  return {
    from: edge.from,
    to: edge.to,
    kind: edge.kind,
    scope: edge.scope,
    ...(edge.usage ? { usage: edge.usage } : {}),
    ...(edge.endpoint ? { endpoint: edge.endpoint } : {}),
    ...(edge.topic ? { topic: edge.topic } : {}),
    ...(edge.via ? { via: edge.via.map((v) => `${v.unit}::${v.function}`) } : {}),
    evidence: edge.evidence.map(at),
  };
}

/** A `[package]` manifest with the given dependency sections appended. */
export function manifest(name: string, sections = ''): string {
  return `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n${sections}`;
}

export const workspace = (members: string[]): string => `[workspace]\nmembers = ${JSON.stringify(members)}\nresolver = "2"\n`;
