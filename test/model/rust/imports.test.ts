import { describe, expect, it } from 'vitest';
import { runOn, service, workspace } from '../../helpers/rust-repo.js';
import { crate } from '../../helpers/repo.js';

describe('import edges', () => {
  it('maps package names (- to _) and renames, from use trees and qualified paths', async () => {
    const result = await runOn({
      ...workspace(['app', 'libs/db-pool', 'libs/nova-proto']),
      'libs/db-pool/Cargo.toml': crate('db-pool'),
      'libs/db-pool/src/lib.rs': '',
      'libs/nova-proto/Cargo.toml': crate('nova-proto'),
      'libs/nova-proto/src/lib.rs': '',
      ...service(
        'app',
        'use proto::feed::{A, B};\nfn main() {\n    let p = db_pool::connect();\n    let q = nova_proto::x();\n}\n',
        '[dependencies]\ndb-pool = { path = "../libs/db-pool" }\nproto = { package = "nova-proto", path = "../libs/nova-proto" }\n',
      ),
    });
    const imports = result.model.edges.filter((e) => e.kind === 'import');
    expect(imports.map((e) => [e.to, e.evidence.map((l) => `${l.line}:${l.column}`)])).toEqual([
      ['db-pool', ['3:13']],
      // `nova_proto::x()` is not how app names the crate (it renamed it to `proto`).
      ['nova-proto', ['1:5']],
    ]);
  });
});
