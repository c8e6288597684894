import { describe, expect, it } from 'vitest';
import { ServiceNames, stripSuffix, unitForName, urlHostLabel } from '../../../src/model/rust/service-names.js';
import type { Unit } from '../../../src/model/types.js';

const units: Pick<Unit, 'name' | 'kind'>[] = [
  { name: 'user-service', kind: 'service' },
  { name: 'identity-service', kind: 'service' },
  { name: 'feed-service', kind: 'service' },
  { name: 'graphql-gateway', kind: 'service' },
  { name: 'auth', kind: 'library' },
  { name: 'db-pool', kind: 'library' },
];
const aliases = { identity: 'identity-service', pay: 'payments-service' };

describe('unitForName', () => {
  it.each([
    // spellings of the unit name
    ['user-service', 'user-service'],
    ['user_service', 'user-service'],
    ['USER_SERVICE', 'user-service'],
    ['graphql_gateway', 'graphql-gateway'],
    // one suffix stripped, case-insensitively
    ['USER_SERVICE_URL', 'user-service'],
    ['user_service_url', 'user-service'],
    ['user_service_base_url', 'user-service'],
    ['USER_SERVICE_BASE_URL', 'user-service'],
    ['user_service_uri', 'user-service'],
    ['USER_SERVICE_ADDR', 'user-service'],
    ['user_service_address', 'user-service'],
    ['USER_SERVICE_ENDPOINT', 'user-service'],
    ['user_service_host', 'user-service'],
    // aliases, spelled and suffixed like names
    ['IDENTITY_URL', 'identity-service'],
    ['identity_addr', 'identity-service'],
    ['identity', 'identity-service'],
    // URL literals: the host's first label
    ['http://user-service:8080/v1/users', 'user-service'],
    ['https://user-service.nova.svc.cluster.local/x', 'user-service'],
    ['http://user_service/x', 'user-service'],
    ['grpc://identity:50051', 'identity-service'],
    ['http://admin:secret@feed-service:80/', 'feed-service'],
  ])('%s -> %s', (name, unit) => {
    expect(unitForName(name, units, aliases)).toBe(unit);
  });

  it.each([
    ['feed', 'no fuzzy matching'],
    ['FEED', 'no fuzzy matching'],
    ['feed_url', 'no fuzzy matching after stripping'],
    ['UserService', 'CamelCase is a type, not a spelling'],
    ['UserServiceUrl', 'CamelCase is a type, not a spelling'],
    ['User_Service', 'mixed case'],
    ['user_service_url_url', 'only one suffix is stripped'],
    ['AUTH_URL', 'auth is a library: only services are targets without an alias'],
    ['db_pool_url', 'a library'],
    ['PAY_URL', 'alias to something that is not a unit'],
    ['http://localhost:8080/users', 'localhost'],
    ['http://127.0.0.1:8080/users', 'an IP'],
    ['http://[::1]:8080/users', 'an IPv6 address'],
    ['http://{host}/users', 'a templated host'],
    ['http://feed.example.com/', 'first label feed is not feed-service'],
    ['user-service.example.com', 'no scheme: a name, and not a valid one'],
    ['', 'empty'],
  ])('%s -> none (%s)', (name) => {
    expect(unitForName(name, units, aliases)).toBeUndefined();
  });

  it('an alias may point at a library', () => {
    expect(unitForName('AUTH_LIB_URL', units, { auth_lib: 'auth' })).toBe('auth');
  });

  it('says when an unmatched name looks like a service', () => {
    const names = new ServiceNames(units, aliases);
    expect(names.resolve('PAYMENT_SERVICE_URL')).toEqual({ key: 'payment_service', looksLikeService: true });
    expect(names.resolve('PAY_URL')).toEqual({ key: 'pay', looksLikeService: true });
    expect(names.resolve('http://billing-svc:80/')).toEqual({ key: 'billing_svc', looksLikeService: true });
    expect(names.resolve('CORS_ORIGIN_URL')).toEqual({ key: 'cors_origin_url', looksLikeService: false });
    expect(names.resolve('USER_SERVICE_URL')).toEqual({ unit: 'user-service', key: 'user_service', looksLikeService: true });
  });

  it('strips the longest matching suffix once and reads URL hosts', () => {
    expect(stripSuffix('USER_SERVICE_BASE_URL')).toBe('USER_SERVICE');
    expect(stripSuffix('_url')).toBeUndefined();
    expect(stripSuffix('user_service')).toBeUndefined();
    expect(urlHostLabel('https://User-Service.ns.svc:443/x?y#z')).toBe('user-service');
    expect(urlHostLabel('/v1/users')).toBeUndefined();
  });
});
