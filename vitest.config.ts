import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fixture repositories contain their own *.test.ts files (they are the code under analysis).
    exclude: ['fixtures/**', 'node_modules/**', 'dist/**', '.bench/**'],
  },
});
