import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT, runPando, tempHome } from '../../harness/pando-process.ts'

const VERSION = (
  JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8')) as { version: string }
).version

/** The help text of one option: from its flag to the next option's. */
function optionHelp(help: string, flag: string): string {
  // The option's own line (`  --stdin`, `  -l, --local`), not a mention of it in another's text.
  const start = help.search(new RegExp(`(?<=\\n {2}(?:-\\S, )?)${flag}[ \\n]`))
  const next = help.slice(start + flag.length).search(/\n {2}-/)
  return help.slice(start, next < 0 ? undefined : start + flag.length + next)
}

describe.concurrent('pando --help and --version', () => {
  it('--help lists every option with its default, on stdout', async () => {
    const result = await runPando(['--help'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^Usage: pando MODULE \[ITEMS\.\.\] \[OPTIONS\]\n/)
    const defaults = { '--stdin': 'false', '--local': 'false', '--sync-stdio': 'false', '--retries': '2' }
    for (const [flag, value] of Object.entries(defaults)) {
      expect(optionHelp(result.stdout, flag)).toContain(`[default: ${value}]`)
    }
    expect(result.stdout).toContain('-h, --help')
    expect(result.stdout).toContain('-v, --version')
    expect((await runPando(['-h'])).stdout).toBe(result.stdout)
  })

  it('--workers takes 0 to 64 Workers per --volunteers tab, and says so', async () => {
    const help = (await runPando(['--help'])).stdout
    expect(optionHelp(help, '--workers')).toContain('[default: 0]')
    expect(await runPando(['examples/square.js', '1', '--workers', '65'])).toMatchObject({
      stdout: '',
      stderr: "pando: --workers must be a whole number from 0 to 64, not 65 (see 'pando --help')\n",
      code: 2,
    })
  })

  it('--version prints the version', async () => {
    expect(await runPando(['--version'])).toEqual({
      stdout: `${VERSION}\n`,
      stderr: '',
      code: 0,
      signal: null,
    })
  })
})

describe.concurrent('pando with ~/.pando/config.json', () => {
  it('takes its defaults from the file', async () => {
    const home = tempHome('{"local": true, "retries": 0}')
    const result = await runPando(['test/cli/fixtures/flaky.cjs', 'a'], { home })
    expect(result.stderr).toBe(
      'pando: the function failed on item 1 of the command line, "a" (1 attempt): Error: first attempt at a\n',
    )
    expect((await runPando(['--help'], { home })).stdout).toContain(
      '[default: 0 (from the configuration file)]',
    )
  })

  it('lets the command line override the file', async () => {
    const home = tempHome('{"local": true, "retries": 0}')
    const result = await runPando(['test/cli/fixtures/flaky.cjs', '--retries', '1', 'a'], { home })
    expect(result).toEqual({ stdout: 'a\n', stderr: '', code: 0, signal: null })
  })

  it('sets booleans to true and to false', async () => {
    const stdinOn = tempHome('{"local": true, "stdin": true}')
    expect(await runPando(['examples/square-no-delay.js'], { home: stdinOn, input: '3\n' })).toEqual({
      stdout: '9\n',
      stderr: '',
      code: 0,
      signal: null,
    })
    // local: false sends the item to a volunteer: a headless tab that pando opens itself.
    const localOff = tempHome('{"local": false, "stdin": false, "port": 0, "volunteers": 1}')
    // A real tab: Chromium's start took most of a minute at a load of 30.
    const result = await runPando(['examples/square-no-delay.js', '3'], { home: localOff })
    expect(result.stdout).toBe('9\n')
    // With tabs of its own only, pando listens on loopback: its URL says so.
    expect(result.stderr).toMatch(
      /^pando: volunteers can join at http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}\n/,
    )
    expect(result.code).toBe(0)
    // The command line overrides the file: --no-local turns local off again while the file's stdin: true
    // holds. A dry run shows both (the run above showed a tab computing with local off).
    const overridden = await runPando(
      ['examples/square-no-delay.js', '--no-local', '--port=0', '--volunteers=1', '--dry-run'],
      { home: stdinOn },
    )
    expect(overridden).toEqual({
      stdout:
        `module: ${ROOT}examples/square-no-delay.js\n` +
        'items: from standard input\n' +
        'records: end at newline\n' +
        'output: each result on standard output, in input order\n' +
        "computed: by volunteers' Web Workers, 1 of them headless Chromium tabs opened here\n" +
        'volunteers open: http://127.0.0.1:<free port>/?token=<token>\n' +
        'transport: a WebRTC tree of degree 10, WebSocket when WebRTC fails\n',
      stderr: '',
      code: 0,
      signal: null,
    })
  }, 120_000)

  it('refuses a malformed file with a clear message, status 2', async () => {
    const home = tempHome('{"local": true,')
    const path = join(home, '.pando', 'config.json')
    const result = await runPando(['examples/square.js', '1'], { home })
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(
      new RegExp(`^pando: the configuration file ${path} is not valid JSON \\(.+\\): fix or remove it\\n$`),
    )
    expect(result.code).toBe(2)
  })

  it('refuses a key that is not an option, or a value of the wrong type', async () => {
    const unknown = tempHome('{"threads": 5}')
    expect((await runPando(['examples/square.js', '1'], { home: unknown })).stderr).toBe(
      `pando: the configuration file ${join(unknown, '.pando/config.json')} sets "threads", which is not an option ` +
        '(the keys are the option names: stdin, local, sync-stdio, retries, max-result-size, replicas, max-replicas, spot-check, on-error, error-marker, port, listen, open, allow-host, batch-size, heartbeat, item-timeout, ' +
        'start-idle, degree, bootstrap-timeout, ice-addresses, ice-servers, turn-secret, turn-username, turn-credential, reporting-interval, progress, quiet, qr, volunteers, workers, host, secret, seed, ' +
        'journal, resume, resume-failed, joblog, cache, cache-size, null, arg-file, jobs, tag, dry-run, halt): fix or remove it\n',
    )
    const wrongType = tempHome('{"local": "yes"}')
    const result = await runPando(['examples/square.js', '1'], { home: wrongType })
    expect(result.stderr).toBe(
      `pando: "local" in the configuration file ${join(wrongType, '.pando/config.json')} must be true or false, ` +
        'not "yes": fix or remove it\n',
    )
    expect(result.code).toBe(2)
  })
})
