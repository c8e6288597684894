import { describe, expect, it } from 'vitest';
import { loadTypeScript } from '../../../src/model/ts-imports.js';
import { tsconfigModuleResolver } from '../../../src/model/ts/module-paths.js';
import type { Unit } from '../../../src/model/types.js';
import { writeRepo } from '../../helpers/repo.js';

function tsPackage(name: string, path: string): Unit {
  const manifest = path === '.' ? 'package.json' : `${path}/package.json`;
  return { name, kind: 'service', path, language: 'typescript', manifest, workspace: 'package.json', kindSource: 'start-script', binaries: [], hasLibrary: false, externalDependencies: [] };
}

describe('tsconfigModuleResolver', () => {
  const files = {
    'package.json': '{ "name": "root", "workspaces": ["*"] }\n',
    'a/package.json': '{ "name": "a" }\n',
    'a/tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "~/*": ["./src/*"] } } }\n',
    'a/src/db.ts': 'export const db = 1;\n',
    'a/src/main.ts': "import { db } from '~/db';\n",
  };

  it('uses the tsconfig of the package holding the file, even when its directory name is one character long', async () => {
    const root = writeRepo(files);
    const resolve = tsconfigModuleResolver(await loadTypeScript(), root, [tsPackage('root', '.'), tsPackage('a', 'a')], Object.keys(files));
    expect(resolve('a/src/main.ts', '~/db')).toBe('a/src/db.ts');
  });

  it('gives nothing for a specifier no path mapping covers', async () => {
    const root = writeRepo(files);
    const resolve = tsconfigModuleResolver(await loadTypeScript(), root, [tsPackage('root', '.'), tsPackage('a', 'a')], Object.keys(files));
    expect(resolve('a/src/main.ts', 'lodash')).toBeUndefined();
  });
});
