import { mkdtempSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PANDO, ROOT, runPando } from '../../harness/pando-process.ts'

/** A usage error: nothing on stdout, this one message on stderr, status 2. */
function usageError(message: string): { stdout: string; stderr: string; code: number; signal: null } {
  return { stdout: '', stderr: `pando: ${message}\n`, code: 2, signal: null }
}

describe.concurrent('pando usage errors (status 2)', () => {
  it('no module given', async () => {
    expect(await runPando(['--local'])).toEqual(
      usageError(
        "no MODULE given: run 'pando MODULE [ITEMS..]', e.g. 'pando examples/square.js --local 1 2 3' (see 'pando --help')",
      ),
    )
  })

  it('module file missing', async () => {
    expect(await runPando(['nowhere/missing.js', '--local', '1'])).toEqual(
      usageError(
        `cannot find the module nowhere/missing.js (no file ${join(ROOT, 'nowhere/missing.js')}): check the path, ` +
          `which is relative to the current directory ${ROOT.replace(/\/$/, '')} unless it is absolute`,
      ),
    )
  })

  it('module path that is a directory', async () => {
    expect(await runPando(['examples', '--local', '1'])).toEqual(
      usageError('the module examples is not a file: give the path of a .js, .cjs or .mjs file'),
    )
  })

  it('module that fails to load', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pando-module-')), 'syntax-error.cjs')
    writeFileSync(path, "'use strict'\nmodule.exports = function (x {\n")
    expect(await runPando([path, '--local', '1'])).toEqual(
      usageError(
        `cannot load the module ${path}: SyntaxError: Unexpected token '{' (at ${path}:2): fix the module`,
      ),
    )
  })

  it('module exporting neither form', async () => {
    expect(await runPando(['test/cli/fixtures/exports-nothing.cjs', '--local', '1'])).toEqual(
      usageError(
        'the module test/cli/fixtures/exports-nothing.cjs cannot be used: the module exports no processing ' +
          `function: export one with 'module.exports["/pando/1.0.0"] = function (x, cb) { … }' or ` +
          "'export default async function (x) { … }'",
      ),
    )
  })

  it('bad option value', async () => {
    expect(await runPando(['examples/square.js', '--local', '--retries', '-1', '1'])).toEqual(
      usageError(`--retries must be a whole number of 0 or more, not "-1" (see 'pando --help')`),
    )
    expect(await runPando(['examples/square.js', '--retries'])).toEqual(
      usageError(`--retries needs a value, e.g. --retries 3 (see 'pando --help')`),
    )
    expect(await runPando(['examples/square.js', '--local=maybe'])).toEqual(
      usageError('--local=maybe is not a valid value: write --local, --no-local or --local=false'),
    )
  })

  it('unknown option', async () => {
    expect(await runPando(['examples/square.js', '--local', '--threads', '3', '1'])).toEqual(
      usageError(
        "unknown option --threads: run 'pando --help' to see the options (put an item that starts with '-' after '--')",
      ),
    )
  })

  it('items both as arguments and on stdin', async () => {
    expect(await runPando(['examples/square.js', '--local', '--stdin', '1'])).toEqual(
      usageError(
        'an item is given as arguments, but --stdin reads the items from standard input: drop the arguments ' +
          'or --stdin (--no-stdin if the configuration file sets it)',
      ),
    )
  })

  it('--volunteers with no Chromium', async () => {
    const result = await runPando(['examples/square.js', '1', '--port', '0', '--volunteers', '1'], {
      env: { PANDO_CHROMIUM: '/nonexistent/chromium' },
    })
    expect(result).toEqual(
      usageError(
        '--volunteers needs Chromium, and PANDO_CHROMIUM names /nonexistent/chromium, which is not an ' +
          'executable file: set it to the path of a Chromium or Chrome binary, or unset it to search the PATH',
      ),
    )
  })

  // A file system with no room left, made for the test: a 64 KiB tmpfs in a mount namespace of its own
  // (root only, as CI runs). The bundle of a module with an npm dependency does not fit.
  it.skipIf(process.getuid?.() !== 0)(
    "no room left to write the bundle (status 1, not the module's fault)",
    async () => {
      const full = mkdtempSync(join(tmpdir(), 'pando-full-'))
      const mountFull = `mount -t tmpfs -o size=64k tmpfs ${full} && TMPDIR=${full} exec "$0" "$@"`
      const result = await runPando(
        ['-m', 'sh', '-c', mountFull, PANDO, 'examples/collatz.js', '--port', '0', '1'],
        {
          bin: 'unshare',
        },
      )
      expect(result.stderr).toMatch(
        new RegExp(
          `^pando: cannot write the module's bundle to ${full}/pando-run-\\w+ \\(ENOSPC: no space left on device, ` +
            `write\\): the run's files go to TMPDIR \\(${full}\\): free some space there, or set TMPDIR to a ` +
            'directory with room\n$',
        ),
      )
      expect(result).toMatchObject({ stdout: '', code: 1, signal: null })
    },
  )

  it('a port that is taken', async () => {
    const taken = net.createServer()
    await new Promise<void>((resolve) => taken.listen(0, resolve))
    const port = (taken.address() as net.AddressInfo).port
    try {
      expect(await runPando(['examples/square.js', '1', '--port', String(port)])).toEqual(
        usageError(`port ${port} is in use: choose another with --port, or --port 0 for a free one`),
      )
    } finally {
      taken.close()
    }
  })

  it('a module that cannot be bundled for the browser', async () => {
    const result = await runPando(['test/cli/fixtures/needs-child-process.cjs', '1', '--port', '0'])
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(
      /^pando: cannot bundle .*needs-child-process\.cjs: .*Can.t resolve .child_process./s,
    )
    expect(result.stderr).toMatch(
      /\(the module must bundle for a browser Worker: fix it, or use --local\)\n$/,
    )
    expect(result.code).toBe(2)
  })
})
