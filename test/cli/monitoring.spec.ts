import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runPando, seqLines } from '../../harness/pando-process.ts'

describe.concurrent('pando monitoring on the terminal', () => {
  it('prints no progress line when stderr is not a terminal', async () => {
    const result = await runPando([
      'examples/square-no-delay.js',
      '--local',
      '--reporting-interval',
      '1',
      '3',
    ])
    expect(result).toEqual({ stdout: '9\n', stderr: '', code: 0, signal: null })
  })

  it('prints the progress line with --progress, one per interval when not a terminal', async () => {
    // 400 items of 10 ms take some 4 s however the local Worker batches them: several intervals of 1 s.
    const result = await runPando(
      ['examples/square-delay.js', '--local', '--stdin', '--progress', '--reporting-interval', '1'],
      { input: seqLines(0, 400), env: { SQUARE_DELAY_MS: '10' } },
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(seqLines(0, 400, (n) => String(n * n)))
    const lines = result.stderr.trimEnd().split('\n')
    const summary = lines.pop()
    expect(lines.length).toBeGreaterThanOrEqual(2)
    for (const line of lines)
      expect(line).toMatch(/^pando: \d+(\/400)? done · \d+ items\/s( · ETA \d+:\d\d)? · \d+:\d\d$/)
    // Then the summary line, in place of a last progress line.
    expect(summary).toMatch(/^pando: 400 items in \d+:\d\d · \d+(\.\d)? items\/s · 0 retries · 0 failures$/)
  })

  it('writes the status in the original shape with DEBUG=pando-computing:monitoring', async () => {
    const result = await runPando(['examples/square-no-delay.js', '--local', '1', '2'], {
      env: { DEBUG: 'pando-computing:monitoring' },
    })
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('1\n4\n')
    const [line] = result.stderr.trimEnd().split('\n')
    const match = /^(\S+) pando-computing:monitoring (\{.*\})$/.exec(line ?? '')
    expect(match).not.toBeNull()
    expect(new Date(match?.[1] ?? '').toISOString()).toBe(match?.[1])
    const status = JSON.parse(match?.[2] ?? '{}') as Record<string, unknown>
    expect(Object.keys(status).sort()).toEqual(['root', 'timestamp', 'volunteers'])
    expect(status['root']).toMatchObject({
      id: 'root',
      lendStreamState: { lendState: { readNb: 2, sourcedNb: 2 } },
    })
  })

  it('--no-progress overrides --progress from the configuration file', async () => {
    const home = mkdtempSync(join(tmpdir(), 'pando-home-'))
    mkdirSync(join(home, '.pando'))
    writeFileSync(join(home, '.pando', 'config.json'), JSON.stringify({ progress: true }))
    const withConfig = await runPando(['examples/square-no-delay.js', '--local', '4'], { home })
    expect(withConfig.stderr).toMatch(/^pando: 1 item in \d+:\d\d · /m)
    const result = await runPando(['examples/square-no-delay.js', '--local', '--no-progress', '4'], { home })
    expect(result).toEqual({ stdout: '16\n', stderr: '', code: 0, signal: null })
  })

  it('--quiet overrides --progress', async () => {
    const result = await runPando(['examples/square-no-delay.js', '--local', '--progress', '--quiet', '4'])
    expect(result).toEqual({ stdout: '16\n', stderr: '', code: 0, signal: null })
  })

  it('prints a QR code of the volunteer URL with --qr', async () => {
    const result = await runPando([
      'examples/square-no-delay.js',
      '--port',
      '0',
      '--qr',
      '--no-start-idle',
      '5',
    ])
    expect(result.stdout).toBe('25\n')
    expect(result.stderr).toMatch(
      /^pando: volunteers can join at http:\/\/localhost:(\d+)\/\?token=[\w-]{32}[ \n]/,
    )
    expect(result.stderr).toMatch(
      /^pando: the dashboard is at http:\/\/localhost:\d+\/monitor\/\?token=[\w-]{32}$/m,
    )
    // The URL under the QR code, which the code encodes, carries the token too.
    const lines = result.stderr.split('\n')
    const afterQr = lines.slice(lines.map((line) => /[▀▄█]/.test(line)).lastIndexOf(true) + 1)
    const qrUrl = afterQr.find((line) => line.startsWith('http'))
    expect(qrUrl).toMatch(/^http:\/\/[\w.:[\]]+\/\?token=[\w-]{32}$/)
    const qrLines = result.stderr.split('\n').filter((line) => /[▀▄█]/.test(line))
    expect(qrLines.length).toBeGreaterThanOrEqual(10)
    expect(result.stderr.match(/[▀▄█]/g)?.length).toBeGreaterThan(100)
    expect(result.code).toBe(0)
  })
})
