import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT, seqLines, runPando } from '../../harness/pando-process.ts'

const FIXTURES = join(ROOT, 'test/cli/fixtures')

const squares = (count: number): string =>
  Array.from({ length: count }, (_, i) => `${BigInt(i) * BigInt(i)}\n`).join('')

describe.concurrent('pando --local', () => {
  it('squares 100 000 lines of stdin in order', async () => {
    const result = await runPando(['examples/square-no-delay.js', '--stdin', '--local'], {
      input: seqLines(0, 100_000),
    })
    expect(result).toEqual({ stdout: squares(100_000), stderr: '', code: 0, signal: null })
  })

  it('passes argument items exactly as typed, those after -- included', async () => {
    const args = ['1.0', '007', '0x10', '1e3', ' spaced ', '', '--', '-5', '--local']
    const result = await runPando([join(FIXTURES, 'echo.cjs'), '--local', ...args])
    expect(result).toEqual({
      stdout: '<1.0>\n<007>\n<0x10>\n<1e3>\n< spaced >\n<>\n<-5>\n<--local>\n',
      stderr: '',
      code: 0,
      signal: null,
    })
  })

  it('reads every line of stdin as an item, \\r\\n line ends too, but not an empty last line', async () => {
    const result = await runPando(['test/cli/fixtures/echo.cjs', '--stdin', '--local'], {
      input: 'a\r\n\nb c\nlast',
    })
    expect(result.stdout).toBe('<a>\n<>\n<b c>\n<last>\n')
    expect(result.code).toBe(0)
  })

  it('writes nothing and exits 0 when there are no items', async () => {
    const none = { stdout: '', stderr: '', code: 0, signal: null }
    expect(await runPando(['examples/square.js', '--local'])).toEqual(none)
    expect(await runPando(['examples/square.js', '--local', '--stdin'], { input: '' })).toEqual(none)
  })

  it('loads a module from an absolute path, from any working directory', async () => {
    const result = await runPando([join(ROOT, 'examples/square-no-delay.js'), '--local', '3', '4'], {
      cwd: tmpdir(),
    })
    expect(result).toEqual({ stdout: '9\n16\n', stderr: '', code: 0, signal: null })
  })

  it('runs the original form with its 1 s delay', async () => {
    const result = await runPando(['examples/square.js', '--local', '12'])
    expect(result).toEqual({ stdout: '144\n', stderr: '', code: 0, signal: null })
  })

  it('runs a modern ES module exporting an async function', async () => {
    const result = await runPando(['examples/square-modern.mjs', '--local', '2', '-3', '1.5'])
    expect(result).toEqual({ stdout: '4\n9\n2.25\n', stderr: '', code: 0, signal: null })
  })

  it('runs the original form exported by an ES module, and writes objects as JSON', async () => {
    const result = await runPando(['test/cli/fixtures/original-form.mjs', '--local', 'ab'])
    expect(result.stdout).toBe('{"item":"ab","length":2}\n')
  })

  it('counts Collatz steps on big integers with the module’s own npm dependency', async () => {
    const result = await runPando(['examples/collatz.js', '--local', '1', '27', '3179389980591125407167'])
    expect(result).toEqual({ stdout: '0\n111\n2760\n', stderr: '', code: 0, signal: null })
  })

  it("gives require('pando-computing') to a module in the repository", async () => {
    const result = await runPando(['examples/report.js', '--local', '12345', '999'])
    expect(result).toEqual({ stdout: '15\n27\n', stderr: '', code: 0, signal: null })
  })

  it('gives pando-computing to CommonJS and ES modules that live outside the repository', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pando-module-'))
    writeFileSync(
      join(dir, 'report.cjs'),
      "const pando = require('pando-computing')\n" +
        "module.exports['/pando/1.0.0'] = (x, cb) => { pando.report({ nbItems: 1 }); cb(null, x + pando.version) }\n",
    )
    writeFileSync(
      join(dir, 'report.mjs'),
      "import { report, version } from 'pando-computing'\n" +
        'export default async (x) => { report({ units: "items" }); return x + version }\n',
    )
    const cjs = await runPando([join(dir, 'report.cjs'), '--local', 'v'], { cwd: dir })
    const esm = await runPando(['report.mjs', '--local', 'v'], { cwd: dir })
    expect(cjs).toEqual({ stdout: 'v0.1.0\n', stderr: '', code: 0, signal: null })
    expect(esm).toEqual({ stdout: 'v0.1.0\n', stderr: '', code: 0, signal: null })
  })
})

describe.concurrent('pando --local, when the function fails', () => {
  it('writes the results before the item, names the item and the error, and exits 1', async () => {
    const result = await runPando(['examples/error.js', '--local', '5', '6', '7', '8'])
    expect(result).toEqual({
      stdout: '25\n36\n',
      stderr:
        'pando: the function failed on item 3 of the command line, "7" (3 attempts): Error: 7 is a multiple of 7\n',
      code: 1,
      signal: null,
    })
  })

  it('names the line of stdin, and stops reading there', async () => {
    const result = await runPando(['examples/error.js', '--stdin', '--local', '--retries', '0'], {
      input: seqLines(0, 100_000).replace(/^0\n/, '1\n'),
    })
    expect(result).toEqual({
      stdout: '1\n1\n4\n9\n16\n25\n36\n',
      stderr:
        'pando: the function failed on line 8 of standard input, "7" (1 attempt): Error: 7 is a multiple of 7\n',
      code: 1,
      signal: null,
    })
  })

  it('quotes at most 60 characters of a long item', async () => {
    const item = `${'x'.repeat(100)}`
    const result = await runPando(['test/cli/fixtures/fail-always.cjs', '--local', '--', item])
    expect(result.stderr).toBe(
      `pando: the function failed on item 1 of the command line, "${'x'.repeat(59)}…" (3 attempts): ` +
        'TypeError: cannot handle 100 characters\n',
    )
    expect(result.code).toBe(1)
  })

  it('retries an item the function failed on, --retries times', async () => {
    const ok = await runPando(['test/cli/fixtures/flaky.cjs', '--local', '--retries', '1', 'a', 'b'])
    expect(ok).toEqual({ stdout: 'a\nb\n', stderr: '', code: 0, signal: null })
    const failed = await runPando(['test/cli/fixtures/flaky.cjs', '--local', '--retries', '0', 'a', 'b'])
    expect(failed.stderr).toBe(
      'pando: the function failed on item 1 of the command line, "a" (1 attempt): Error: first attempt at a\n',
    )
    expect(failed.code).toBe(1)
  })

  it('stops with status 1 when the module throws outside its function', async () => {
    const result = await runPando(['test/cli/fixtures/throws-later.cjs', '--local', 'a'])
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(
      /^pando: uncaught error, most likely thrown by the module outside its function: Error: thrown from a timer\n/,
    )
    expect(result.code).toBe(1)
  })
})

describe.concurrent('pando --local --item-timeout', () => {
  const HANGS = 'test/cli/fixtures/hangs-on-one.cjs'
  const timedOut =
    '"hang" (3 attempts): ItemTimeoutError: no result within the item deadline of 300 ms (--item-timeout): ' +
    'the item was given up on (a late result is ignored)\n'

  it('fails an item whose callback never comes, after each of its attempts, then marks it', async () => {
    const started = Date.now()
    const result = await runPando([
      HANGS,
      '--local',
      '--item-timeout',
      '300',
      '--on-error',
      'mark',
      'a',
      'hang',
      'b',
    ])
    expect(result).toEqual({
      stdout: 'a\n\nb\n',
      stderr:
        `pando: marked: the function failed on item 2 of the command line, ${timedOut}` +
        'pando: 1 item failed and was marked "" (--on-error mark): every other result was written\n',
      code: 1,
      signal: null,
    })
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
  })

  it('skips it with --on-error skip', async () => {
    const result = await runPando([
      HANGS,
      '--local',
      '--item-timeout=300',
      '--on-error=skip',
      'a',
      'hang',
      'b',
    ])
    expect(result).toEqual({
      stdout: 'a\nb\n',
      stderr:
        `pando: skipped: the function failed on item 2 of the command line, ${timedOut}` +
        'pando: 1 item failed and was skipped (--on-error skip): every other result was written\n',
      code: 1,
      signal: null,
    })
  })

  it('aborts by default: the results before the item, its name and the ItemTimeoutError, status 1', async () => {
    const result = await runPando([HANGS, '--local', '--item-timeout', '300', 'a', 'hang', 'b'])
    expect(result).toEqual({
      stdout: 'a\n',
      stderr: `pando: the function failed on item 2 of the command line, ${timedOut}`,
      code: 1,
      signal: null,
    })
  })
})
