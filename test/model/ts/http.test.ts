import { describe, expect, it } from 'vitest';
import { diagnosticLines, edgeLines, runRepo, workspace } from './helpers.js';

describe('TypeScript HTTP edges', () => {
  it('fetch with an env var (with or without a default), axios with a URL literal, axios({ url }), got, ky; a config field', async () => {
    const result = await runRepo(
      workspace({
        'packages/api/src/main.ts': [
          "import axios from 'axios';",
          "import got from 'got';",
          "import { config } from './config.js';",
          'const base = process.env.WORKER_URL;',
          'export async function run(id: string) {',
          "  await fetch(`${process.env.WORKER_URL ?? 'http://worker:8080'}/jobs/${id}`);",
          '  await fetch(base + `/jobs`);',
          "  await axios.get('http://worker:8080/health');",
          '  await axios({ url: `${config.workerUrl}/x` });',
          "  await got.post('http://api:3000/self');",
          '}',
          '',
        ].join('\n'),
        'packages/api/src/config.ts': 'export const config = { workerUrl: process.env.WORKER_URL ?? "" };\n',
      }),
    );
    expect(edgeLines(result)).toEqual([
      // One edge per name that identifies the target (as for Rust): the env var, the URL host, the config field.
      '@x/api -> @x/worker http prod called WORKER_URL @api/src/main.ts:6:9,api/src/main.ts:6:30,api/src/main.ts:7:9,api/src/main.ts:4:26',
      '@x/api -> @x/worker http prod called worker @api/src/main.ts:8:9,api/src/main.ts:8:19',
      '@x/api -> @x/worker http prod called workerUrl @api/src/main.ts:9:9,api/src/main.ts:9:32',
    ]);
  });

  it('an axios.create({ baseURL }) instance exported by another file carries its base to every request', async () => {
    const result = await runRepo(
      workspace({
        'packages/api/src/clients.ts': "import axios from 'axios';\nexport const workerApi = axios.create({ baseURL: process.env.WORKER_URL });\n",
        'packages/api/src/main.ts': "import { workerApi } from './clients.js';\nawait workerApi.post('/jobs', {});\n",
      }),
    );
    expect(edgeLines(result)).toEqual(['@x/api -> @x/worker http prod called WORKER_URL @api/src/main.ts:2:7,api/src/clients.ts:2:62']);
  });

  it('no edge from a config object that only lists URLs, a comment naming a service, a non-client .get(), or an unknown host', async () => {
    const result = await runRepo(
      workspace({
        'packages/api/src/main.ts': [
          '// call http://worker:8080 instead of the old endpoint',
          'export const urls = { worker: process.env.WORKER_URL, other: "http://worker:8080" };',
          'const cache = new Map<string, string>();',
          "cache.get('http://worker:8080/x');",
          "await fetch('http://billing-service:8080/charge');",
          '',
        ].join('\n'),
      }),
    );
    expect(edgeLines(result)).toEqual([]);
    expect(diagnosticLines(result, ['http-target-unknown'])).toEqual(['http-target-unknown @api/src/main.ts:5:7']);
  });

  it('a request in an exported library function is credited to the service calling it, with via', async () => {
    const result = await runRepo(
      workspace(
        {
          'packages/lib/src/index.ts': "export async function enqueue() { await fetch(`${process.env.WORKER_URL}/jobs`); }\n",
          'packages/api/src/main.ts': "import { enqueue } from '@x/lib';\nawait enqueue();\n",
        },
        { api: ['@x/lib'] },
      ),
    );
    expect(edgeLines(result)).toEqual(['@x/api -> @x/worker http prod called WORKER_URL @api/src/main.ts:2:7,lib/src/index.ts:1:41,lib/src/index.ts:1:62 via @x/lib::enqueue']);
  });
});
