import { fileURLToPath } from 'node:url'
import { configDefaults, defineConfig } from 'vitest/config'

const source = (name: string): string =>
  fileURLToPath(new URL(`packages/${name}/src/index.ts`, import.meta.url))

/** A package's tests that launch Chromium: the `browser` project, not `unit`. */
const BROWSER_SPECS = 'packages/*/test/**/*.browser.spec.ts'

export default defineConfig({
  resolve: {
    // Unit tests run against the sources; the CLI tests spawn the built binary (`npm test` builds first).
    alias: {
      '@pando/protocol': source('protocol'),
      '@pando/scheduler': source('scheduler'),
      // A subpath first: the alias of its package would take it otherwise.
      '@pando/server/turn-credentials': fileURLToPath(
        new URL('packages/server/src/turn-credentials.ts', import.meta.url),
      ),
      '@pando/server': source('server'),
      '@pando/endpoints': source('endpoints'),
      '@pando/overlay': source('overlay'),
      '@pando/bundler': source('bundler'),
      '@pando/cli': source('cli'),
    },
  },
  test: {
    // TMPDIR is a directory of the test run, removed at its end: no test leaves temporary files behind.
    globalSetup: ['test/support/scoped-tmpdir.ts'],
    // Two test files at a time, whatever their project: most of an end-to-end file's time is spent waiting
    // (heartbeats, item delays, tabs joining), so two of them share 2 cores well (three at a time made the
    // suite slower on 2 cores, 945 s against 803 s, and its tests fail for want of processor). Without this,
    // vitest runs every file one after another on a 2-core machine (its default is one worker fewer than the
    // cores, and files of a project without file parallelism run last, alone).
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        // Property tests run a hundred cases: about a second each on a quiet machine, but several times that
        // beside another file on a busy one. A bound, not a measure (figures belong in the bench).
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.spec.ts'],
          exclude: [...configDefaults.exclude, BROWSER_SPECS],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        // A package's own tests that drive its page in real Chromium (`*.browser.spec.ts`): unit tests launch
        // no browser and need no network namespace; these need both.
        test: { name: 'browser', include: [BROWSER_SPECS], testTimeout: 120_000, hookTimeout: 120_000 },
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
        },
      },
      {
        extends: true,
        test: {
          name: 'bench',
          include: ['test/bench/**/*.spec.ts'],
          // A bound, not a measure: the smoke run takes about a minute alone, and twice that beside an e2e file
          // (its CPU-per-thread sampling reads every Chromium thread's /proc entry).
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
