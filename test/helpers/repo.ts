import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildCargoGraph, type UnitClassification } from '../../src/model/cargo.js';
import type { Model } from '../../src/model/types.js';
import { scanCargoManifest } from '../../src/scan/cargo/manifest.js';

export type FileMap = Record<string, string>;

/** Writes a file map into a fresh temporary directory and returns its path. */
export function writeRepo(files: FileMap): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'boundary-repo-'));
  for (const [file, text] of Object.entries(files)) {
    const absolute = path.join(root, file);
    mkdirSync(path.dirname(absolute), { recursive: true });
    writeFileSync(absolute, text);
  }
  return root;
}

/** Units and crate edges of an in-memory repository, without touching the disk. */
export function cargoModelOf(files: FileMap, classification: UnitClassification = { services: undefined, libraries: undefined }): Model {
  const manifests = Object.entries(files)
    .filter(([file]) => file === 'Cargo.toml' || file.endsWith('/Cargo.toml'))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([file, text]) => scanCargoManifest(file, text));
  const graph = buildCargoGraph(manifests, new Set(Object.keys(files)), classification);
  return { units: graph.units, edges: graph.edges, diagnostics: graph.diagnostics, topics: [], grpcServices: [], tableAccesses: [], owners: {}, ownershipConflicts: [] };
}

/** A `[package]` manifest with the given dependency sections appended. */
export function crate(name: string, sections = ''): string {
  return `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n${sections}`;
}
