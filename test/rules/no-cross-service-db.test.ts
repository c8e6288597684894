import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/check/run-rules.js';
import { resolveConfig } from '../../src/config/resolve.js';
import rule from '../../rules/no-cross-service-db.js';
import { rules } from '../../rules/index.js';
import { access, sqlModel, unit } from '../helpers/sql-model.js';
import type { GrpcService, Model } from '../../src/model/types.js';
import { entityOf, rpcMatches } from '../../rules/no-cross-service-db-utils/api-suggestions.js';

function findings(model: Model, setting: unknown = 'error', includeTests = false) {
  const config = resolveConfig({ rules: { 'no-cross-service-db': setting } }, rules);
  return runRules(model, [rule], config.rules, { includeTests });
}

const owners = {
  users: { service: 'user-service', source: 'config' as const, pattern: 'users', location: { file: 'boundary.config.json', line: 6, column: 5 } },
  posts: { service: 'content-service', source: 'migrations' as const },
};
const units = [unit('user-service'), unit('auth-service'), unit('feed-service'), unit('content-service'), unit('db', 'library')];

describe('no-cross-service-db', () => {
  it('reports one finding per service, table and op, with every statement and the owner as related locations', () => {
    const model = sqlModel(units, [
      access('auth-service', 'users', 'write', 8),
      access('auth-service', 'users', 'write', 30),
      access('auth-service', 'users', 'read', 12),
      access('user-service', 'users', 'write', 3),
    ], owners);
    const result = findings(model);
    expect(result.map((f) => [f.messageId, f.message, f.location.line])).toEqual([
      ['write', 'auth-service writes users, which user-service owns (2 statements)', 8],
      ['read', 'auth-service reads users, which user-service owns (1 statement)', 12],
    ]);
    expect(result[0]!.related.map((r) => `${r.location.file}:${r.location.line}`)).toEqual([
      'auth-service/src/db.rs:8',
      'auth-service/src/db.rs:30',
      'boundary.config.json:6',
    ]);
  });

  it('points at the service call site for a statement inside a library, and shows both', () => {
    const via = { function: 'db::find_user', unit: 'db', callSite: { file: 'feed-service/src/handlers.rs', line: 40, column: 5 } };
    const result = findings(sqlModel(units, [access('feed-service', 'users', 'read', 5, { via, location: { file: 'db/src/users.rs', line: 5, column: 9 } })], owners));
    expect(result[0]!.location).toEqual(via.callSite);
    expect(result[0]!.related.map((r) => r.message)[0]).toBe('calls db::find_user, which reads users');
  });

  it('lets reads and writes have their own severity, or be off', () => {
    const model = sqlModel(units, [access('feed-service', 'users', 'read', 5), access('feed-service', 'posts', 'write', 9)], owners);
    expect(findings(model, ['error', { reads: 'warn' }]).map((f) => [f.messageId, f.severity])).toEqual([
      ['read', 'warning'],
      ['write', 'error'],
    ]);
    expect(findings(model, ['error', { writes: 'off' }]).map((f) => f.messageId)).toEqual(['read']);
    // Without per-op options the rule's own severity applies.
    expect(findings(model, 'warn').map((f) => f.severity)).toEqual(['warning', 'warning']);
  });

  it('honours allow entries with globs and ops', () => {
    const model = sqlModel(units, [access('feed-service', 'users', 'read', 5), access('feed-service', 'users', 'write', 9)], owners);
    const allowed = findings(model, ['error', { allow: [{ service: '*-service', table: 'users', op: 'read', because: 'profile cache until user.events exist' }] }]);
    expect(allowed.map((f) => f.messageId)).toEqual(['write']);
  });

  it('ignores test code unless --include-tests, libraries, unknown tables and unowned tables', () => {
    const model = sqlModel(units, [
      access('feed-service', 'users', 'read', 5, { scope: 'test' }),
      access('db', 'users', 'read', 6),
      access('feed-service', '?', 'read', 7),
      access('feed-service', 'audit_log', 'write', 8),
    ], owners);
    expect(findings(model)).toEqual([]);
    expect(findings(model, 'error', true).map((f) => f.message)).toEqual(['feed-service reads users, which user-service owns (1 statement)']);
  });

  it('treats tables of other databases as other tables', () => {
    const model = sqlModel(units, [access('feed-service', 'users', 'read', 5, { datastore: 'clickhouse', database: 'clickhouse' })], owners);
    expect(findings(model)).toEqual([]);
  });
});

describe('no-cross-service-db fix suggestions', () => {
  const USER_PROTO = 'proto/user_service.proto';
  const userService = (rpcs: string[], servedBy = ['user-service']): GrpcService => ({
    fullName: 'nova.user_service.v1.UserService',
    name: 'UserService',
    file: USER_PROTO,
    location: { file: USER_PROTO, line: 3, column: 9 },
    rpcs: rpcs.map((name, i) => ({ name, location: { file: USER_PROTO, line: 4 + i, column: 7 } })),
    servedBy,
  });
  const withApi = (model: Model, services: GrpcService[], topics: Model['topics'] = []): Model => ({ ...model, grpcServices: services, topics });
  const titles = (model: Model): string[][] => findings(model).map((f) => f.suggestions.map((s) => `${s.applicability}: ${s.title}`));

  it('names the read RPCs of the owner that return the entity, with the client type and the proto line', () => {
    const model = withApi(sqlModel(units, [access('auth-service', 'users', 'read', 12)], owners), [
      userService(['UpdateLastLogin', 'GetUser', 'GetUserProfile', 'GetUsersByIds', 'BatchGetUsers']),
    ]);
    expect(titles(model)).toEqual([[
      "display-only: Read users through user-service's API instead: call GetUser, GetUsersByIds or BatchGetUsers of nova.user_service.v1.UserService with UserServiceClient (proto/user_service.proto:5:7)",
    ]]);
  });

  it('suggests the RPC to add to the proto the owner serves, and the topic it publishes for a local read model', () => {
    const model = withApi(sqlModel(units, [access('feed-service', 'follows', 'read', 7)], { follows: { service: 'user-service', source: 'config' } }), [userService(['GetUser'])], [
      { topic: 'nova.user.events', producers: ['user-service'], consumers: ['feed-service'] },
    ]);
    expect(titles(model)).toEqual([[
      'display-only: nova.user_service.v1.UserService (user-service) has no RPC that returns follows: add `rpc GetFollowsByIds(GetFollowsByIdsRequest) returns (GetFollowsByIdsResponse);` to service UserService in proto/user_service.proto and call it with UserServiceClient',
      'display-only: Or keep a local read model of follows in feed-service: consume `nova.user.events`, which user-service publishes (feed-service already consumes `nova.user.events`)',
    ]]);
  });

  it('ignores RPCs of services the owner does not serve', () => {
    const model = withApi(sqlModel(units, [access('auth-service', 'users', 'read', 12)], owners), [userService(['GetUser'], ['feed-service'])]);
    expect(titles(model)).toEqual([['display-only: user-service serves no gRPC service: give it one with `rpc GetUsersByIds(GetUsersByIdsRequest) returns (GetUsersByIdsResponse);` and call that instead']]);
  });

  it('names the mutation RPC for a write, or one named after the column an UPDATE sets', () => {
    const insert = withApi(sqlModel(units, [access('auth-service', 'users', 'write', 8)], owners), [userService(['GetUser', 'CreateUser', 'DeleteUsers'])]);
    expect(titles(insert)).toEqual([[
      "display-only: Let user-service write users: call CreateUser or DeleteUsers of nova.user_service.v1.UserService with UserServiceClient (proto/user_service.proto:5:7) instead of the statement",
    ]]);
    const update = withApi(
      sqlModel(units, [access('auth-service', 'users', 'write', 8, { statementKind: 'update', statement: 'UPDATE users SET last_login_at = NOW() WHERE id = $1' })], owners),
      [userService(['GetUser', 'UpdateLastLogin'])],
    );
    expect(titles(update)[0]![0]).toBe(
      "display-only: Let user-service write users: call UpdateLastLogin of nova.user_service.v1.UserService with UserServiceClient (proto/user_service.proto:5:7) instead of the statement",
    );
  });

  it('suggests the mutation RPCs to add from the statement kinds, and an event the owner consumes', () => {
    const model = withApi(
      sqlModel(units, [
        access('auth-service', 'users', 'write', 8),
        access('auth-service', 'users', 'write', 9, { statementKind: 'delete', statement: 'DELETE FROM users WHERE id = $1' }),
      ], owners),
      [userService(['GetUser'])],
      [{ topic: 'auth.events', producers: [], consumers: ['user-service'] }],
    );
    expect(titles(model)).toEqual([[
      'display-only: nova.user_service.v1.UserService (user-service) has no RPC that changes users: add `rpc CreateUser(CreateUserRequest) returns (CreateUserResponse);` and `rpc DeleteUser(DeleteUserRequest) returns (DeleteUserResponse);` to service UserService in proto/user_service.proto and call it with UserServiceClient',
      'display-only: Or publish an event user-service consumes (`auth.events`) and let user-service write users',
    ]]);
  });

  it('asks for an API when the owner is not a unit of the repository, and moves DDL to the owner', () => {
    const model = sqlModel(units, [access('auth-service', 'sessions', 'write', 8), access('auth-service', 'users', 'ddl', 3)], {
      ...owners,
      sessions: { service: 'identity-service', source: 'config' },
    });
    expect(titles(model)).toEqual([
      ["display-only: The definition of users belongs to user-service: move this DDL into user-service's migrations"],
      ['display-only: identity-service is not a unit of this repository: ask its team for an RPC that changes sessions (e.g. `rpc CreateSession(CreateSessionRequest) returns (CreateSessionResponse);`) and call it'],
    ]);
  });

  it('matches RPC names on the singular or plural of the table name', () => {
    const users = entityOf('users');
    expect(['GetUser', 'GetUsersByIds', 'BatchGetUsers', 'ListUsers', 'GetManyUsers'].filter((r) => rpcMatches(r, new Set(['get', 'list']), users))).toHaveLength(5);
    expect(['GetUserProfile', 'UpdateUser', 'GetUsername', 'Users'].filter((r) => rpcMatches(r, new Set(['get', 'list']), users))).toEqual([]);
    expect(entityOf('feed_items')).toEqual({ singular: ['feed', 'item'], plural: ['feed', 'items'] });
    expect(entityOf('analytics.categories')).toEqual({ singular: ['category'], plural: ['categories'] });
    expect(entityOf('addresses').singular).toEqual(['address']);
    expect(rpcMatches('GetFeedItemsForUser', new Set(['get']), entityOf('feed_items'))).toBe(true);
  });
});
