import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const source = (name: string): string =>
  fileURLToPath(new URL(`packages/${name}/src/index.ts`, import.meta.url))

export default defineConfig({
  resolve: {
    // Unit tests run against the sources; the CLI tests spawn the built binary (`npm test` builds first).
    alias: {
      '@pando/protocol': source('protocol'),
      '@pando/scheduler': source('scheduler'),
      '@pando/server': source('server'),
      '@pando/overlay': source('overlay'),
      '@pando/bundler': source('bundler'),
    },
  },
  test: {
    // TMPDIR is a directory of the test run, removed at its end: no test leaves temporary files behind.
    globalSetup: ['test/support/scoped-tmpdir.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['packages/*/test/**/*.spec.ts'] },
      },
      {
        extends: true,
        test: { name: 'cli', include: ['test/cli/**/*.spec.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.spec.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          // Each file drives its own Chromium and pando processes: on 2 cores, one file at a time.
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'bench',
          include: ['test/bench/**/*.spec.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // The harness drives Chromium and pando processes of its own: one file at a time.
          fileParallelism: false,
        },
      },
    ],
  },
})
