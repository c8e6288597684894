import { describe, expect, it } from 'vitest';
import { runOn, service, workspace } from '../../helpers/rust-repo.js';
import { crate, type FileMap } from '../../helpers/repo.js';
import type { RunResult } from '../../../src/run.js';

// Crediting a library statement to the services that call its function when the call is a
// plain `f(..)` brought in by a glob import (AppFlowy-Cloud: `use database::workspace::*;`).

const SVC_DEPS = '[dependencies]\ndb = { path = "../db" }\nsqlx = "0.7"\n';

/** A `db` library: `workspace::rename_workspace`, `user::get_user`, root `ping`, `collab::*` re-exported from a child. */
const db: FileMap = {
  'db/Cargo.toml': crate('db', '[dependencies]\nsqlx = "0.7"\n'),
  'db/src/lib.rs': 'pub mod workspace;\npub mod user;\npub mod chat;\npub mod collab;\npub async fn ping(pool: &PgPool) {\n    sqlx::query!("SELECT 1 FROM af_health").fetch_one(pool).await;\n}\n',
  'db/src/workspace.rs': 'pub async fn rename_workspace(pool: &PgPool) {\n    sqlx::query!("UPDATE af_workspace SET name = $1").execute(pool).await;\n}\n',
  'db/src/user.rs': 'pub async fn get_user(pool: &PgPool) {\n    sqlx::query!("SELECT * FROM af_user").fetch_one(pool).await;\n}\n',
  'db/src/chat/mod.rs': 'pub mod chat_ops;\n',
  'db/src/chat/chat_ops.rs': 'pub async fn delete_chat(pool: &PgPool) {\n    sqlx::query!("DELETE FROM af_chat").execute(pool).await;\n}\n',
  'db/src/collab/mod.rs': 'mod collab_db_ops;\npub use collab_db_ops::*;\n',
  'db/src/collab/collab_db_ops.rs': 'pub async fn insert_collab(pool: &PgPool) {\n    sqlx::query!("INSERT INTO af_collab VALUES ($1)").execute(pool).await;\n}\n',
};

async function runService(main: string, extra: FileMap = {}, deps = SVC_DEPS): Promise<RunResult> {
  return runOn({ ...workspace(['svc', 'db']), ...db, ...service('svc', main, deps), ...extra });
}

/** `unit op table via` for each access, sorted. */
const credited = (result: RunResult): string[] =>
  result.model.tableAccesses.map((a) => `${a.unit} ${a.op} ${a.table}${a.via ? ` via ${a.via.function} at ${a.via.callSite.file}:${a.via.callSite.line}` : ''}`).sort();

describe('library calls through glob imports', () => {
  it('credits `use db::workspace::*;` + `rename_workspace(..)` to the calling service', async () => {
    const result = await runService('use db::workspace::*;\nasync fn main() {\n    rename_workspace(&pool).await;\n}\n');
    expect(credited(result)).toContain('svc write af_workspace via db::rename_workspace at svc/src/main.rs:3');
    expect(credited(result)).not.toContain('db write af_workspace');
  });

  it('follows a glob inside a brace group next to a named import', async () => {
    const result = await runService('use db::{workspace::*, user::get_user};\nasync fn main() {\n    rename_workspace(&pool).await;\n    get_user(&pool).await;\n}\n');
    expect(credited(result)).toEqual(
      expect.arrayContaining(['svc write af_workspace via db::rename_workspace at svc/src/main.rs:3', 'svc read af_user via db::get_user at svc/src/main.rs:4']),
    );
  });

  it('follows a glob of the crate root to a function defined at the root', async () => {
    const result = await runService('use db::*;\nasync fn main() {\n    ping(&pool).await;\n}\n');
    expect(credited(result)).toContain('svc read af_health via db::ping at svc/src/main.rs:3');
  });

  it('follows a child module re-exported by `pub use child::*`', async () => {
    const result = await runService('use db::collab::*;\nasync fn main() {\n    insert_collab(&pool).await;\n}\n');
    expect(credited(result)).toContain('svc write af_collab via db::insert_collab at svc/src/main.rs:3');
  });

  it('does not credit a glob of a module that does not define the name', async () => {
    // `user` has no `rename_workspace`: the call resolves elsewhere (here: nowhere in db).
    const result = await runService('use db::user::*;\nasync fn main() {\n    rename_workspace(&pool).await;\n}\n');
    expect(credited(result).filter((a) => a.startsWith('svc '))).toEqual([]);
    // A root glob does not bring in a submodule's functions either.
    const root = await runService('use db::*;\nasync fn main() {\n    rename_workspace(&pool).await;\n}\n');
    expect(credited(root).filter((a) => a.startsWith('svc '))).toEqual([]);
  });

  it('lets a local fn or an explicit import of the same name shadow the glob', async () => {
    const local = await runService('use db::workspace::*;\nasync fn rename_workspace(pool: &PgPool) {}\nasync fn main() {\n    rename_workspace(&pool).await;\n}\n');
    expect(credited(local).filter((a) => a.startsWith('svc '))).toEqual([]);
    const imported = await runService('mod local;\nuse local::rename_workspace;\nuse db::workspace::*;\nasync fn main() {\n    rename_workspace(&pool).await;\n}\n', {
      'svc/src/local.rs': 'pub async fn rename_workspace(pool: &PgPool) {}\n',
    });
    expect(credited(imported).filter((a) => a.startsWith('svc '))).toEqual([]);
  });

  it('ignores a glob of an external crate', async () => {
    const result = await runService('use other::workspace::*;\nasync fn main() {\n    rename_workspace(&pool).await;\n}\n', {}, `${SVC_DEPS}other = "1"\n`);
    expect(credited(result).filter((a) => a.startsWith('svc '))).toEqual([]);
  });
});

describe('library calls through a module imported by name', () => {
  it('credits `use db::chat;` + `chat::chat_ops::delete_chat(..)`', async () => {
    const result = await runService('use db::chat;\nasync fn main() {\n    chat::chat_ops::delete_chat(&pool).await;\n}\n');
    expect(credited(result)).toContain('svc write af_chat via db::delete_chat at svc/src/main.rs:3');
  });
});
