// Types for scripts/bench/generate-ts.mjs, so test/meta/bench-generator-ts.test.ts type-checks.
export interface TsBenchParams {
  apps: number;
  packages: number;
  filesPerUnit: number;
  linesPerFile: number;
  seed: number;
}
export interface TsBenchCycle {
  kind: 'app' | 'package';
  /** Package names of the two ends. */
  units: [string, string];
  /** Their directories, relative to the tree. */
  dirs: [string, string];
  /** The module at each end that imports the other end. */
  files: [string, string];
  manifestDependency: boolean;
}
export interface TsBenchStamp {
  generator: number;
  generatorHash: string;
  params: TsBenchParams;
  stats: {
    files: number;
    tsFiles: number;
    testFiles: number;
    tsLines: number;
    manifests: number;
    bytes: number;
    units: number;
    apps: number;
    packages: number;
    dynamicImports: number;
  };
  apps: string[];
  packages: string[];
  cycles: TsBenchCycle[];
  typeOnlyBackEdge?: { units: [string, string]; dirs: [string, string]; file: string };
}
export const GENERATOR_VERSION: number;
export const GENERATOR_HASH: string;
export const STAMP_FILE: string;
export const SCOPE: string;
export const SCALES: Record<'small' | 'target', TsBenchParams>;
export function generate(params: TsBenchParams, outDir: string): TsBenchStamp;
export function readStamp(outDir: string): TsBenchStamp | undefined;
export function paramsFor(scale: string, overrides?: Partial<TsBenchParams>): TsBenchParams;
