import { describe, expect, it } from 'vitest';
import { edgeList, runOn, service, workspace } from '../../helpers/rust-repo.js';
import { crate } from '../../helpers/repo.js';

describe('compiled module tree', () => {
  it('follows mod declarations (x.rs, x/mod.rs, nested, #[path]) and notes orphans once', async () => {
    const result = await runOn({
      ...workspace(['app', 'db']),
      'db/Cargo.toml': crate('db'),
      'db/src/lib.rs': '',
      ...service('app', 'mod a;\nmod b;\n#[path = "legacy/c_impl.rs"]\nmod c;\nfn main() {}\n', '[dependencies]\ndb = { path = "../db" }\n'),
      'app/src/a.rs': 'mod inner;\n',
      'app/src/a/inner.rs': 'use db::A;\n',
      'app/src/b/mod.rs': 'pub fn b() { db::b(); }\n',
      'app/src/legacy/c_impl.rs': 'use db::C;\n',
      'app/src/startup.rs': 'use db::Orphan;\n',
    });
    const imports = result.model.edges.filter((e) => e.kind === 'import');
    expect(imports.map((e) => e.evidence.map((l) => l.file).join(','))).toEqual(['app/src/a/inner.rs,app/src/b/mod.rs,app/src/legacy/c_impl.rs']);
    expect(result.model.diagnostics.filter((d) => d.code === 'not-compiled').map((d) => d.location!.file)).toEqual(['app/src/startup.rs']);
  });

  it('scopes tests/, #[cfg(test)] mod files and dev-dependency uses as test', async () => {
    const result = await runOn({
      ...workspace(['app', 'db', 'fixtures']),
      'db/Cargo.toml': crate('db'),
      'db/src/lib.rs': '',
      'fixtures/Cargo.toml': crate('fixtures'),
      'fixtures/src/lib.rs': '',
      ...service('app', 'mod live;\n#[cfg(test)]\nmod helpers;\nfn main() {}\n', '[dependencies]\ndb = { path = "../db" }\n[dev-dependencies]\nfixtures = { path = "../fixtures" }\n'),
      'app/src/live.rs': 'use db::Pool;\n',
      'app/src/helpers.rs': 'use db::TestPool;\nuse fixtures::users;\n',
      'app/tests/api.rs': 'use db::Pool;\n',
    });
    expect(edgeList(result, ['import'])).toEqual(['app->db:import', 'app->db:import:test', 'app->fixtures:import:test']);
  });

  it("finds Cargo's autodiscovered targets of a root crate and of a nested one, and nothing deeper", async () => {
    const result = await runOn({
      'Cargo.toml': `${crate('app')}[dependencies]\ndb = { path = "crates/db" }\n[workspace]\nmembers = ["crates/db"]\n`,
      'src/main.rs': 'fn main() {}\n',
      'src/bin/tool.rs': 'use db::A;\nfn main() {}\n',
      'src/bin/admin/main.rs': 'use db::B;\nfn main() {}\n',
      'src/bin/admin/util.rs': 'use db::NotARoot;\n',
      'tests/api.rs': 'use db::C;\n',
      'tests/suite/main.rs': 'use db::D;\n',
      'tests/common/helpers.rs': 'use db::NotARootEither;\n',
      'examples/demo.rs': 'use db::E;\nfn main() {}\n',
      'benches/b.rs': 'use db::F;\n',
      'crates/db/Cargo.toml': crate('db'),
      'crates/db/src/lib.rs': '',
      'crates/db/examples/seed.rs': 'fn main() {}\n',
      'crates/db/examples/deep/nested/x.rs': 'fn main() {}\n',
    });
    const importFiles = result.model.edges.filter((e) => e.kind === 'import').flatMap((e) => e.evidence.map((l) => `${l.file}:${e.scope}`));
    expect(importFiles.sort()).toEqual([
      'benches/b.rs:test',
      'examples/demo.rs:test',
      'src/bin/admin/main.rs:prod',
      'src/bin/tool.rs:prod',
      'tests/api.rs:test',
      'tests/suite/main.rs:test',
    ]);
    expect(result.model.diagnostics.filter((d) => d.code === 'not-compiled').map((d) => d.location!.file).sort()).toEqual([
      'crates/db/examples/deep/nested/x.rs',
      'src/bin/admin/util.rs',
      'tests/common/helpers.rs',
    ]);
  });

  it('reports a mod declaration without a file', async () => {
    const result = await runOn({ ...workspace(['app']), ...service('app', 'mod gone;\nfn main() {}\n') });
    expect(result.model.diagnostics.map((d) => [d.code, d.location?.line])).toContainEqual(['module-not-found', 1]);
  });
});
