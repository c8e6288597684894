import { describe, expect, it } from 'vitest';
import { runOn, service, workspace } from '../../helpers/rust-repo.js';
import { crate } from '../../helpers/repo.js';
import type { RunResult } from '../../../src/run.js';

const SQLX = '[dependencies]\nsqlx = "0.7"\n';
const accesses = (result: RunResult): string[] =>
  result.model.tableAccesses.map((a) => `${a.unit} ${a.op} ${a.table}${a.datastore !== 'postgres' ? ` @${a.database}` : ''}${a.dynamic ? ' dynamic' : ''}${a.uncertain ? ' uncertain' : ''}${a.scope === 'test' ? ' test' : ''} ${a.location.file}:${a.location.line}`);

describe('SQL sites in Rust', () => {
  it('reads sqlx macros with raw strings, continuations and consts from other modules', async () => {
    const result = await runOn({
      ...workspace(['svc']),
      ...service('svc', 'mod queries;\nasync fn f(pool: &PgPool) {\n    sqlx::query!(r#"\n        SELECT id FROM users\n        JOIN follows ON follows.user_id = users.id"#).fetch_all(pool).await;\n    sqlx::query_as!(Post, "INSERT INTO posts (id) \\\n        VALUES ($1)", id).execute(pool).await;\n    sqlx::query(queries::DELETE_SESSIONS).execute(pool).await;\n}\n', SQLX),
      'svc/src/queries.rs': 'pub const DELETE_SESSIONS: &str = "DELETE FROM sessions s USING users u WHERE s.user_id = u.id";\n',
    });
    expect(accesses(result)).toEqual([
      'svc read follows svc/src/main.rs:3',
      'svc write posts svc/src/main.rs:6',
      'svc write sessions svc/src/queries.rs:1',
      'svc read users svc/src/main.rs:3',
      // DELETE .. USING reads the joined table.
      'svc read users svc/src/queries.rs:1',
    ]);
  });

  it('resolves format! with consts, marks runtime values dynamic, and a runtime table unknown', async () => {
    const result = await runOn({
      ...workspace(['svc']),
      ...service(
        'svc',
        'const TABLE: &str = "posts";\nasync fn f(pool: &PgPool, t: &str, id: i64) {\n    let sql = format!("SELECT * FROM {} WHERE id = {}", TABLE, id);\n    sqlx::query(&sql).fetch_one(pool).await;\n    let q = format!("SELECT * FROM {t}");\n    sqlx::query(&q).fetch_one(pool).await;\n}\n',
        SQLX,
      ),
    });
    expect(accesses(result)).toEqual(['svc read ? dynamic svc/src/main.rs:5', 'svc read posts dynamic svc/src/main.rs:3']);
  });

  it('reads QueryBuilder pushes, push_str strings and .replace templates', async () => {
    const result = await runOn({
      ...workspace(['svc']),
      ...service(
        'svc',
        'const TEMPLATE: &str = "UPDATE {table} SET seen = true";\nasync fn f(pool: &PgPool) {\n    let mut qb = QueryBuilder::new("SELECT * FROM messages WHERE ");\n    qb.push(" conversation_id IN (SELECT id FROM conversations)");\n    qb.build().fetch_all(pool).await;\n    let mut sql = String::from("UPDATE notifications SET read = true");\n    sql.push_str(" WHERE user_id = $1");\n    sqlx::query(&sql).execute(pool).await;\n    sqlx::query(&TEMPLATE.replace("{table}", "inbox")).execute(pool).await;\n}\n',
        SQLX,
      ),
    });
    expect(accesses(result)).toEqual([
      'svc read conversations svc/src/main.rs:3',
      'svc write inbox svc/src/main.rs:1',
      'svc read messages svc/src/main.rs:3',
      'svc write notifications svc/src/main.rs:6',
    ]);
  });

  it('never takes log messages, HTTP method names or strings that reach no SQL sink', async () => {
    const result = await runOn({
      ...workspace(['svc']),
      ...service(
        'svc',
        'async fn f(pool: &PgPool, client: &reqwest::Client) {\n    tracing::error!("failed to insert message into messages");\n    let m = "DELETE";\n    client.request(Method::DELETE, url).send().await;\n    let log = "update response should contain users";\n    pool.execute("delete failed for user").await;\n}\n',
        SQLX,
      ),
    });
    expect(accesses(result)).toEqual([]);
  });

  it('runs include_str! migrations at start-up, one access per statement at its line in the .sql file', async () => {
    const result = await runOn({
      ...workspace(['svc']),
      ...service('svc', 'async fn main() {\n    sqlx::raw_sql(include_str!("../migrations/001_init.sql")).execute(&pool).await;\n}\n', SQLX),
      'svc/migrations/001_init.sql': 'CREATE TABLE accounts (id uuid primary key);\n\nCREATE INDEX accounts_idx ON accounts (id);\n',
    });
    expect(accesses(result)).toEqual(['svc ddl accounts svc/migrations/001_init.sql:1', 'svc ddl accounts svc/migrations/001_init.sql:3']);
  });

  it('tells ClickHouse from PostgreSQL by the client type and by dialect markers', async () => {
    const result = await runOn({
      ...workspace(['svc']),
      ...service(
        'svc',
        'struct S { ch: clickhouse::Client, pg: PgPool }\nimpl S {\n    async fn f(&self) {\n        self.ch.query("SELECT count() FROM events WHERE ts > now() - INTERVAL 90 DAY").fetch_all().await;\n        sqlx::query("SELECT * FROM events").fetch_all(&self.pg).await;\n    }\n}\n',
        '[dependencies]\nsqlx = "0.7"\nclickhouse = "0.11"\n',
      ),
    });
    expect(accesses(result)).toEqual(['svc read events @clickhouse uncertain svc/src/main.rs:4', 'svc read events svc/src/main.rs:5']);
  });

  it('credits a statement in a library function to the service that calls it', async () => {
    const result = await runOn({
      ...workspace(['svc', 'db']),
      'db/Cargo.toml': crate('db', SQLX),
      'db/src/lib.rs': 'pub async fn find_user(pool: &PgPool) {\n    sqlx::query!("SELECT * FROM users").fetch_one(pool).await;\n}\npub async fn unused(pool: &PgPool) {\n    sqlx::query!("SELECT * FROM audit").fetch_one(pool).await;\n}\n',
      ...service('svc', 'async fn main() {\n    db::find_user(&pool).await;\n}\n', '[dependencies]\ndb = { path = "../db" }\nsqlx = "0.7"\n'),
    });
    expect(accesses(result)).toEqual(['db read audit db/src/lib.rs:5', 'svc read users db/src/lib.rs:2']);
    expect(result.model.tableAccesses.find((a) => a.unit === 'svc')!.via).toEqual({ function: 'db::find_user', unit: 'db', callSite: expect.objectContaining({ file: 'svc/src/main.rs', line: 2 }) });
  });

  it("follows a method of a service's lib target only on a receiver typed as its type (a field through an alias), never by name alone", async () => {
    const result = await runOn({
      ...workspace(['collab-service', 'cloud-service']),
      'collab-service/Cargo.toml': crate('collab-service', SQLX),
      'collab-service/src/main.rs': 'fn main() {}\n',
      'collab-service/src/lib.rs': [
        'pub type CollabStore = CollabStorageImpl<AccessControl>;',
        'pub struct CollabStorageImpl<AC> { acl: AC }',
        'impl<AC> CollabStorage for CollabStorageImpl<AC>',
        'where',
        '    AC: Acl,',
        '{',
        '    async fn insert_collab(&self, pool: &PgPool) {',
        '        sqlx::query!("INSERT INTO af_collab (oid) VALUES ($1)").execute(pool).await;',
        '    }',
        '}',
        'pub struct StorageQueue;',
        'impl StorageQueue {',
        '    pub async fn push(&self, pool: &PgPool) {',
        '        sqlx::query!("INSERT INTO af_pending (oid) VALUES ($1)").execute(pool).await;',
        '    }',
        '}',
        '',
      ].join('\n'),
      ...service(
        'cloud-service',
        [
          'use collab_service::CollabStore;',
          'struct AppState { storage: Arc<CollabStore> }',
          'async fn create(state: &AppState, pool: &PgPool) {',
          '    state.storage.insert_collab(pool).await;',
          '    let mut ids = Vec::new();',
          '    ids.push(1);',
          '}',
          '',
        ].join('\n'),
        '[dependencies]\ncollab-service = { path = "../collab-service" }\nsqlx = "0.7"\n',
      ),
    });
    expect(accesses(result)).toEqual([
      'cloud-service write af_collab collab-service/src/lib.rs:8',
      'collab-service write af_collab collab-service/src/lib.rs:8',
      'collab-service write af_pending collab-service/src/lib.rs:14',
    ]);
    expect(result.model.tableAccesses.find((a) => a.unit === 'cloud-service')!.via).toEqual({
      function: 'collab-service::CollabStorageImpl::insert_collab',
      unit: 'collab-service',
      callSite: expect.objectContaining({ file: 'cloud-service/src/main.rs', line: 4 }),
    });
  });

  it('inside a library, follows a method name two types share only on a receiver typed as the right one', async () => {
    // AppFlowy's database crate: CollabCache (PostgreSQL) and CollabMemCache (Redis) both have
    // insert_encode_collab_data; the memory path must not reach the PostgreSQL statement.
    const result = await runOn({
      ...workspace(['svc', 'db']),
      'db/Cargo.toml': crate('db', SQLX),
      'db/src/lib.rs': [
        'pub struct CollabMemCache;',
        'impl CollabMemCache {\n    pub async fn insert_encode_collab_data(&self) {}\n}',
        'pub struct CollabCache { mem_cache: CollabMemCache, pool: PgPool }',
        'impl CollabCache {',
        '    pub async fn insert_encode_collab_data(&self) {',
        '        sqlx::query!("INSERT INTO af_collab (oid) VALUES ($1)").execute(&self.pool).await;',
        '    }',
        '    pub async fn insert_to_mem(&self) {',
        '        self.mem_cache.insert_encode_collab_data().await;',
        '    }',
        '    pub async fn upsert(&self) {',
        '        self.insert_encode_collab_data().await;',
        '    }',
        '}',
        '',
      ].join('\n'),
      ...service('svc', 'async fn main(cache: db::CollabCache) {\n    cache.insert_to_mem().await;\n    cache.upsert().await;\n}\n', '[dependencies]\ndb = { path = "../db" }\nsqlx = "0.7"\n'),
    });
    const credited = result.model.tableAccesses.filter((a) => a.unit === 'svc').map((a) => `${a.via!.function} @ ${a.via!.callSite.line}`);
    expect(credited).toEqual(['db::CollabCache::upsert @ 3']);
  });

  it('credits `Type::new(..)` to the `new` of that type only, not to every `new` of the library', async () => {
    const result = await runOn({
      ...workspace(['svc', 'db']),
      'db/Cargo.toml': crate('db', SQLX),
      'db/src/lib.rs': [
        'pub struct Cache;',
        'impl Cache {\n    pub async fn new(pool: &PgPool) -> Self {\n        sqlx::query!("SELECT * FROM cache_rows").fetch_all(pool).await;\n        Cache\n    }\n}',
        'pub struct Client;',
        'impl Client {\n    pub fn new() -> Self { Client }\n}',
        '',
      ].join('\n'),
      ...service('svc', 'use db::Client;\nasync fn main() {\n    let c = Client::new();\n}\n', '[dependencies]\ndb = { path = "../db" }\nsqlx = "0.7"\n'),
    });
    expect(accesses(result)).toEqual(['db read cache_rows db/src/lib.rs:4']);
  });

  it("credits a statement in the lib target of a service to the other services that call it, and keeps it the service's own", async () => {
    // AppFlowy's shape: appflowy-cloud depends on the appflowy-collaborate service crate and calls
    // its lib functions, so their SQL runs in appflowy-cloud's process too.
    const result = await runOn({
      ...workspace(['collab-service', 'cloud-service']),
      'collab-service/Cargo.toml': crate('collab-service', SQLX),
      'collab-service/src/lib.rs': 'pub mod store;\n',
      'collab-service/src/store.rs': 'pub async fn save_collab(pool: &PgPool) {\n    sqlx::query!("INSERT INTO af_collab (oid) VALUES ($1)").execute(pool).await;\n}\n',
      'collab-service/src/main.rs': 'use collab_service::store::save_collab;\nasync fn main() {\n    save_collab(&pool).await;\n}\n',
      ...service('cloud-service', 'use collab_service::store;\nasync fn main() {\n    store::save_collab(&pool).await;\n}\n', '[dependencies]\ncollab-service = { path = "../collab-service" }\nsqlx = "0.7"\n'),
    });
    expect(accesses(result)).toEqual(['cloud-service write af_collab collab-service/src/store.rs:2', 'collab-service write af_collab collab-service/src/store.rs:2']);
    const credited = result.model.tableAccesses.find((a) => a.unit === 'cloud-service')!;
    expect(credited.via).toEqual({ function: 'collab-service::save_collab', unit: 'collab-service', callSite: expect.objectContaining({ file: 'cloud-service/src/main.rs', line: 3 }) });
    expect(result.model.tableAccesses.find((a) => a.unit === 'collab-service')!.via).toBeUndefined();
  });

  it('reports invalid PostgreSQL with the parser message and keeps an uncertain access', async () => {
    const result = await runOn({
      ...workspace(['svc']),
      ...service('svc', 'async fn f(pool: &PgPool) {\n    sqlx::query("UPDATE jobs SET state = $1 ORDER BY id LIMIT 1").execute(pool).await;\n}\n', SQLX),
    });
    expect(accesses(result)).toEqual(['svc write jobs uncertain svc/src/main.rs:2']);
    expect(result.model.diagnostics.find((d) => d.code === 'sql-parse-error')?.location).toMatchObject({ file: 'svc/src/main.rs', line: 2 });
  });
});

describe('databases', () => {
  it('keeps each service\'s SQLite tables apart by default, and shares a declared database', async () => {
    const files = {
      ...workspace(['a-service', 'b-service']),
      ...service('a-service', 'async fn f(pool: &SqlitePool) { sqlx::query("SELECT * FROM resources").fetch_all(pool).await; }\n', SQLX),
      ...service('b-service', 'async fn f(pool: &SqlitePool) { sqlx::query("INSERT INTO resources VALUES (1)").execute(pool).await; }\n', SQLX),
    };
    const separate = await runOn(files);
    expect(separate.model.tableAccesses.map((a) => `${a.unit} ${a.database}`)).toEqual(['a-service sqlite:a-service', 'b-service sqlite:b-service']);
    const shared = await runOn({ ...files, 'boundary.config.json': JSON.stringify({ databases: { local: { datastore: 'sqlite', services: ['*-service'] } }, tables: { 'local:resources': 'b-service' } }) });
    expect(shared.model.tableAccesses.map((a) => `${a.unit} ${a.database}`)).toEqual(['a-service local', 'b-service local']);
    expect(shared.findings.map((f) => f.message)).toEqual(['a-service reads local:resources, which b-service owns (1 statement)']);
  });
});

describe('ClickHouse by client type alone', () => {
  it('takes a query on a clickhouse::Client field as ClickHouse even without dialect markers', async () => {
    const result = await runOn({
      ...workspace(['svc']),
      ...service('svc', 'struct S { ch: clickhouse::Client }\nimpl S {\n    async fn f(&self) {\n        self.ch.query("SELECT count() FROM events").fetch_all().await;\n    }\n}\n', '[dependencies]\nsqlx = "0.7"\nclickhouse = "0.11"\n'),
    });
    expect(accesses(result)).toEqual(['svc read events @clickhouse uncertain svc/src/main.rs:4']);
  });
});

describe('dev-set findings (AppFlowy-Cloud 0.7.4)', () => {
  it('resolves a shadowed local to the binding in effect where it is used', async () => {
    const result = await runOn({
      ...workspace(['svc']),
      ...service(
        'svc',
        'async fn f(pool: &PgPool) {\n    let sql = "SELECT * FROM users";\n    sqlx::query(sql).fetch_all(pool).await;\n    let sql = "DELETE FROM sessions";\n    sqlx::query(sql).execute(pool).await;\n    let query = format!("SELECT * FROM {} WHERE id = $1", "posts");\n    let query = sqlx::query_as::<_, Post>(&query);\n    query.fetch_one(pool).await;\n}\n',
        SQLX,
      ),
    });
    expect(accesses(result)).toEqual(['svc read posts svc/src/main.rs:6', 'svc write sessions svc/src/main.rs:4', 'svc read users svc/src/main.rs:2']);
  });

  it('says so when a sqlx function runs a statement built by code it cannot follow', async () => {
    const result = await runOn({
      ...workspace(['svc']),
      ...service(
        'svc',
        'async fn f(txn: &mut PgConnection, args: PgArguments) {\n    let mut parts = vec!["UPDATE chats SET".to_string()];\n    let query = parts.join(", ") + ";";\n    let query = sqlx::query_with(&query, args);\n    query.execute(txn).await;\n}\n',
        SQLX,
      ),
    });
    expect(accesses(result)).toEqual([]);
    const unresolved = result.model.diagnostics.filter((d) => d.code === 'sql-unresolved');
    expect(unresolved.map((d) => `${d.location?.file}:${d.location?.line}`)).toEqual(['svc/src/main.rs:4']);
    expect(unresolved[0]!.message).toContain('parts.join');
  });

  it('fills runtime SET lists, VALUES lists and $N parameter numbers so the statement still parses', async () => {
    const result = await runOn({
      ...workspace(['svc']),
      ...service(
        'svc',
        'async fn f(pool: &PgPool, sets: Vec<String>, n: usize, rows: String) {\n    let query = format!(\n        "UPDATE users SET {} WHERE uuid = ${}",\n        sets.join(", "),\n        n\n    );\n    sqlx::query_with(&query, args).execute(pool).await;\n    let insert = format!("INSERT INTO tags (name) VALUES {}", rows);\n    sqlx::query(&insert).execute(pool).await;\n}\n',
        SQLX,
      ),
    });
    expect(accesses(result)).toEqual(['svc write tags dynamic svc/src/main.rs:8', 'svc write users dynamic svc/src/main.rs:3']);
    expect(result.model.diagnostics.filter((d) => d.code === 'sql-parse-error')).toEqual([]);
  });

  it('credits a library statement run by two sinks of one function to the caller only', async () => {
    const result = await runOn({
      ...workspace(['svc', 'db']),
      'db/Cargo.toml': crate('db', SQLX),
      'db/src/lib.rs': 'pub async fn tasks(pool: &PgPool, status: Option<i32>) {\n    let mut query = String::from("SELECT * FROM import_task WHERE created_by = $1");\n    query.push_str(" ORDER BY created_at DESC");\n    if let Some(s) = status {\n        sqlx::query_as::<_, Task>(&query).bind(s).fetch_all(pool).await;\n    } else {\n        sqlx::query_as::<_, Task>(&query).fetch_all(pool).await;\n    }\n}\n',
      ...service('svc', 'use db::tasks;\nasync fn main() {\n    tasks(&pool, None).await;\n}\n', '[dependencies]\ndb = { path = "../db" }\nsqlx = "0.7"\n'),
    });
    expect(accesses(result)).toEqual(['svc read import_task db/src/lib.rs:2']);
  });
});

describe('optional clauses chosen at run time', () => {
  it('leaves out a runtime clause between a complete condition and the next clause, so the statement still parses', async () => {
    const result = await runOn({
      ...workspace(['svc']),
      ...service(
        'svc',
        'async fn f(pool: &PgPool, before: Option<i64>) {\n    let cursor = if before.is_some() { "AND id < $2" } else { "" };\n    let sql = format!("SELECT id FROM messages WHERE conversation_id = $1 {cursor} ORDER BY id DESC", );\n    sqlx::query(&sql).fetch_all(pool).await;\n}\n',
        SQLX,
      ),
    });
    expect(accesses(result)).toEqual(['svc read messages dynamic svc/src/main.rs:3']);
    expect(result.model.diagnostics.filter((d) => d.code === 'sql-parse-error')).toEqual([]);
  });
});

describe('SQL files that open with comments', () => {
  it('takes an included file starting with -- comments as SQL', async () => {
    const result = await runOn({
      ...workspace(['svc']),
      ...service('svc', 'async fn main() {\n    sqlx::raw_sql(include_str!("../migrations/001.sql")).execute(&pool).await;\n}\n', SQLX),
      'svc/migrations/001.sql': '-- Accounts of the service.\n/* v1 */\nCREATE TABLE accounts (id uuid primary key);\n',
    });
    expect(accesses(result)).toEqual(['svc ddl accounts svc/migrations/001.sql:3']);
  });
});

describe('sqlx offline metadata', () => {
  it('counts a query the scan missed for the crate holding .sqlx/, and notes it; a query found in code adds nothing', async () => {
    const meta = (query: string) => JSON.stringify({ db_name: 'PostgreSQL', query, describe: {}, hash: 'x' }, null, 2);
    const result = await runOn({
      ...workspace(['svc']),
      ...service('svc', 'async fn f(pool: &PgPool) {\n    sqlx::query!("SELECT id FROM users").fetch_all(pool).await;\n}\n', SQLX),
      'svc/.sqlx/query-aaa.json': meta('SELECT id FROM users'),
      'svc/.sqlx/query-bbb.json': meta('DELETE FROM audit_log WHERE at < now()'),
    });
    expect(accesses(result)).toEqual(['svc write audit_log svc/.sqlx/query-bbb.json:3', 'svc read users svc/src/main.rs:2']);
    expect(result.model.diagnostics.filter((d) => d.code === 'sqlx-query-not-in-code').map((d) => d.location?.file)).toEqual(['svc/.sqlx/query-bbb.json']);
  });
});
