import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT, runPando, tempHome } from '../../harness/pando-process.ts'

const SQUARE = 'examples/square-no-delay.js'
const FLAKY = 'test/cli/fixtures/flaky.cjs'
const HANGS = 'test/cli/fixtures/hangs-on-one.cjs'
const HANGS_ON_X = 'test/cli/fixtures/hangs-on-x.cjs'

/** `text` written into `path`, its directories made. */
function write(path: string, text: string): string {
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, text)
  return path
}

/** The README's options table: each row's first cell (the flags) and second (the default), backticks dropped. */
function readmeOptions(): Map<string, string> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('\n### Options\n'), readme.indexOf('\n### Output, messages'))
  const rows = new Map<string, string>()
  for (const line of section.split('\n')) {
    const cells = /^\| (`-[^|]*?) \|\s*([^|]*?)\s*\|/.exec(line)
    if (cells) rows.set((cells[1] ?? '').replaceAll('`', ''), (cells[2] ?? '').replaceAll('`', ''))
  }
  return rows
}

/** The options of `--help`: each one's flags and the default it shows ('' for --help and --version). */
function helpOptions(help: string): Map<string, string> {
  const options = new Map<string, string>()
  const blocks = help
    .slice(help.indexOf('\nOptions:\n'))
    .split(/\n(?= {2}-)/)
    .slice(1)
  for (const block of blocks) {
    const [head = '', ...description] = block.split('\n')
    const text = `${head.trim()} ${description.map((line) => line.trim()).join(' ')}`
    const match = /^(.+?)(?: {2}| )\[default: ([^\]]*)\]/.exec(text)
    options.set(match?.[1] ?? head.trim(), match?.[2] ?? '')
  }
  return options
}

describe.concurrent('pando --help', () => {
  it('agrees with the README: the same options, spelt the same, with the same defaults', async () => {
    const result = await runPando(['--help'])
    expect(result.code).toBe(0)
    const help = helpOptions(result.stdout)
    const readme = readmeOptions()
    expect(help.size).toBeGreaterThan(30)
    expect([...help.keys()].sort()).toEqual([...readme.keys()].sort())
    for (const [flags, shown] of readme)
      expect({ flags, default: help.get(flags) }).toEqual({ flags, default: shown })
  })

  it('is laid out as written: 80 columns, descriptions unbroken, no file of the repository', async () => {
    const { stdout } = await runPando(['--help'])
    for (const line of stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80)
    expect(stdout).toContain(
      '\n  -p, --port N  [default: 5000]\n      TCP port of the volunteer page and its WebSocket; 0 picks a free port.\n',
    )
    expect(stdout).toContain('\n  -q, --quiet  [default: false]\n')
    expect(stdout).toContain('\n  --heartbeat TIME  [default: 2s]\n')
    expect(stdout).toContain('writes one result\nline per item to standard output, in input order.')
    expect(stdout).not.toMatch(/packages\/|README|\.md\b/)
  })

  it('shows a default from the environment or the configuration file, and where it comes from', async () => {
    const home = tempHome('{"retries": 4, "heartbeat": "3s"}')
    const { stdout } = await runPando(['--help'], {
      home,
      env: { PANDO_PORT: '9000', PANDO_SECRET: 'hunter2-hunter2-hunter2' },
    })
    expect(stdout).toContain('  -p, --port N  [default: 9000 (from $PANDO_PORT)]\n')
    expect(stdout).toContain('  --retries N  [default: 4 (from the configuration file)]\n')
    expect(stdout).toContain('  --heartbeat TIME  [default: 3s (from the configuration file)]\n')
    expect(stdout).toContain('  --secret S  [default: set (from $PANDO_SECRET)]\n')
    expect(stdout).not.toContain('hunter2')
  })
})

describe.concurrent('pando: times with units', () => {
  it('takes units, bare numbers keeping their unit, from the command line, the environment and the file', async () => {
    const home = tempHome('{"reporting-interval": 1, "heartbeat": "2s"}')
    const result = await runPando(
      [SQUARE, '--local', '--item-timeout', '1.5m', '--bootstrap-timeout=20s', '3'],
      {
        home,
        env: { PANDO_REPORTING_INTERVAL: '2s' },
      },
    )
    expect(result).toEqual({ stdout: '9\n', stderr: '', code: 0, signal: null })
  })

  it('refuses a malformed time, naming the option, the variable or the file', async () => {
    expect(await runPando([SQUARE, '--local', '--heartbeat', '2sec', '1'])).toEqual({
      stdout: '',
      stderr:
        'pando: --heartbeat must be a time of 100ms or more such as 90s, 1500ms, 2m or 1h (a bare number is ms), ' +
        'not "2sec" (see \'pando --help\')\n',
      code: 2,
      signal: null,
    })
    expect(await runPando([SQUARE, '--local', '1'], { env: { PANDO_REPORTING_INTERVAL: '500ms' } })).toEqual({
      stdout: '',
      stderr:
        'pando: $PANDO_REPORTING_INTERVAL (--reporting-interval) must be a time of 1s or more such as 90s, ' +
        '1500ms, 2m or 1h (a bare number is seconds), not "500ms": fix or unset it\n',
      code: 2,
      signal: null,
    })
    const home = tempHome('{"item-timeout": "soon"}')
    expect((await runPando([SQUARE, '--local', '1'], { home })).stderr).toBe(
      `pando: "item-timeout" in the configuration file ${join(home, '.pando/config.json')} must be a time such as ` +
        '90s, 1500ms, 2m, 1h or 300% (a bare number is ms), not "soon": fix or remove it\n',
    )
  })

  it('--item-timeout 300% gives up an item after three medians (1 s at least) once 3 items are measured', async () => {
    const result = await runPando([
      HANGS,
      '--local',
      '--item-timeout',
      '300%',
      '--retries',
      '0',
      'a',
      'b',
      'c',
      'hang',
      'd',
    ])
    expect(result).toEqual({
      stdout: 'a\nb\nc\n',
      stderr:
        'pando: the function failed on item 4 of the command line, "hang" (1 attempt): ItemTimeoutError: no result ' +
        'within the item deadline of 1000 ms (--item-timeout): the item was given up on (a late result is ignored)\n',
      code: 1,
      signal: null,
    })
  })
})

describe('pando --item-timeout 300% with a real volunteer tab', () => {
  it('--item-timeout 300% with a real tab: its Worker measures its items and gives up the one that hangs', async () => {
    const items = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'x', 'h', 'i']
    const result = await runPando([
      HANGS_ON_X,
      '--volunteers',
      '1',
      '--workers',
      '1',
      '--batch-size',
      '1',
      '--port',
      '0',
      '--ice-addresses',
      'loopback',
      '--quiet',
      '--item-timeout',
      '300%',
      '--retries',
      '0',
      '--on-error',
      'mark',
      ...items,
    ])
    // Items take 50 ms: once 3 are measured, the deadline is the floor, 1 s (3 × 50 ms is less).
    expect({
      ...result,
      stderr: result.stderr.split('\n').filter((line) => !/ at http:/.test(line)),
    }).toEqual({
      stdout: 'a\nb\nc\nd\ne\nf\ng\n\nh\ni\n',
      stderr: [
        'pando: marked: the function failed on item 8 of the command line, "x" (1 attempt): ItemTimeoutError: no ' +
          'result within the item deadline of 1000 ms (--item-timeout): the Worker was stopped and replaced',
        'pando: 1 item failed and was marked "" (--on-error mark): every other result was written',
        '',
      ],
      code: 1,
      signal: null,
    })
  }, 180_000)
})

describe.concurrent('pando: short flags and PANDO_<OPTION> variables', () => {
  it('takes -l, -q, -p and -c', async () => {
    const home = tempHome()
    const config = write(join(home, 'mine.json'), '{"retries": 0}')
    expect(await runPando([FLAKY, '-l', '-q', '-c', config, 'a'])).toMatchObject({
      stdout: '',
      stderr:
        'pando: the function failed on item 1 of the command line, "a" (1 attempt): Error: first attempt at a\n',
      code: 1,
    })
    expect(await runPando([SQUARE, '-p', 'x', '1'])).toEqual({
      stdout: '',
      stderr: 'pando: --port must be a whole number from 0 to 65535, not "x" (see \'pando --help\')\n',
      code: 2,
      signal: null,
    })
  })

  it('command line > environment > configuration file > built-in default', async () => {
    const home = tempHome('{"local": true, "retries": 1}')
    // The file's retries: 1 lets the flaky item through...
    expect((await runPando([FLAKY, 'a'], { home })).stdout).toBe('a\n')
    // ...the environment's 0 overrides it...
    const failed = await runPando([FLAKY, 'a'], { home, env: { PANDO_RETRIES: '0' } })
    expect(failed.code).toBe(1)
    // ...and the command line overrides the environment.
    expect(await runPando([FLAKY, '--retries', '1', 'a'], { home, env: { PANDO_RETRIES: '0' } })).toEqual({
      stdout: 'a\n',
      stderr: '',
      code: 0,
      signal: null,
    })
    expect(await runPando([SQUARE, '2'], { env: { PANDO_LOCAL: 'true' } })).toMatchObject({
      stdout: '4\n',
      code: 0,
    })
  })

  it('names the variable of a bad value, and never quotes a secret', async () => {
    expect(await runPando([SQUARE, '1'], { env: { PANDO_PORT: 'x' } })).toEqual({
      stdout: '',
      stderr:
        'pando: $PANDO_PORT (--port) must be a whole number from 0 to 65535, not "x": fix or unset it\n',
      code: 2,
      signal: null,
    })
    expect(await runPando([SQUARE, '1'], { env: { PANDO_QUIET: 'yes' } })).toMatchObject({
      stderr: 'pando: $PANDO_QUIET (--quiet) must be true, false, 1 or 0, not "yes": fix or unset it\n',
      code: 2,
    })
  })
})

describe.concurrent('pando: --config and the XDG configuration file', () => {
  it('reads ~/.config/pando/config.json, or $XDG_CONFIG_HOME/pando/config.json', async () => {
    const home = tempHome()
    write(join(home, '.config/pando/config.json'), '{"local": true}')
    expect(await runPando([SQUARE, '3'], { home })).toEqual({
      stdout: '9\n',
      stderr: '',
      code: 0,
      signal: null,
    })
    const xdg = join(home, 'elsewhere')
    write(join(xdg, 'pando/config.json'), '{"local": true, "retries": "x"}')
    expect((await runPando([SQUARE, '3'], { home, env: { XDG_CONFIG_HOME: xdg } })).stderr).toBe(
      `pando: "retries" in the configuration file ${join(xdg, 'pando/config.json')} must be a whole number of 0 or ` +
        'more, not "x": fix or remove it\n',
    )
  })

  it('reads the XDG file when ~/.pando/config.json exists too, and says so', async () => {
    const home = tempHome('{"local": false}')
    write(join(home, '.config/pando/config.json'), '{"local": true}')
    expect(await runPando([SQUARE, '3'], { home })).toEqual({
      stdout: '9\n',
      stderr:
        `pando: ${join(home, '.pando/config.json')} is ignored: ${join(home, '.config/pando/config.json')} is read ` +
        'instead (merge them, and remove one)\n',
      code: 0,
      signal: null,
    })
  })

  it('reads --config FILE (or $PANDO_CONFIG) instead, which must exist', async () => {
    const home = tempHome('{"local": false}')
    const mine = write(join(home, 'mine.json'), '{"local": true}')
    expect(await runPando([SQUARE, '--config', mine, '3'], { home })).toMatchObject({
      stdout: '9\n',
      code: 0,
    })
    expect(await runPando([SQUARE, '3'], { home, env: { PANDO_CONFIG: mine } })).toMatchObject({
      stdout: '9\n',
    })
    expect(await runPando([SQUARE, `--config=${join(home, 'none.json')}`, '3'], { home })).toEqual({
      stdout: '',
      stderr:
        `pando: the configuration file ${join(home, 'none.json')} given by --config does not exist: fix the path, ` +
        'or drop --config\n',
      code: 2,
      signal: null,
    })
  })
})

describe.concurrent('pando: DEBUG=pando-computing:*', () => {
  it('tells the scheduler’s lending and the status, in the debug package’s format', async () => {
    const result = await runPando([SQUARE, '--local', '1', '2'], { env: { DEBUG: 'pando-computing:*' } })
    expect(result.stdout).toBe('1\n4\n')
    expect(result.code).toBe(0)
    const lines = result.stderr.trimEnd().split('\n')
    for (const line of lines)
      expect(line).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z pando-computing:(scheduler|monitoring) /)
    const scheduler = lines
      .filter((line) => line.includes(' pando-computing:scheduler '))
      .map((line) => line.split(' ').slice(2).join(' '))
    expect(scheduler.slice(0, 2)).toEqual(['local opened (credit 1)', 'local lent 1 items: 0'])
    expect(scheduler).toContain('local answered 1 items (0 failed)')
    expect(lines.some((line) => line.includes(' pando-computing:monitoring {"root":'))).toBe(true)
  })

  it('writes nothing without DEBUG, or for another namespace', async () => {
    const result = await runPando([SQUARE, '--local', '1'], { env: { DEBUG: 'pando-computing:volunteers' } })
    expect(result).toEqual({ stdout: '1\n', stderr: '', code: 0, signal: null })
  })
})
