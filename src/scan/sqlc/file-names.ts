// Apart from config.ts so that recognising a sqlc config does not load the YAML parser (~260 KB
// of bundle) in the many repositories that have none.

/** A config file name sqlc looks for. */
export function isSqlcConfigFile(file: string): boolean {
  return /(^|\/)sqlc\.(ya?ml|json)$/.test(file);
}
