import { execFile } from 'node:child_process'
import { once } from 'node:events'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { PANDO, ROOT, collect, seqLines, spawnPando, tempHome } from '../../harness/pando-process.ts'

describe.concurrent('pando and its standard streams', () => {
  it('exits 0, quietly, when the reader closes stdout early (pando … | head -3)', async () => {
    const child = spawnPando(['examples/square-no-delay.js', '--stdin', '--local'])
    child.stdin?.on('error', () => undefined)
    child.stdin?.end(seqLines(0, 1_000_000))
    let stderr = ''
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    let head = ''
    child.stdout?.setEncoding('utf8')
    for await (const chunk of child.stdout ?? []) {
      head += chunk as string
      if (head.split('\n').length > 3) break // leaving the loop destroys the stream, as head does
    }
    const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null]
    expect(head.split('\n').slice(0, 3)).toEqual(['0', '1', '4'])
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' })
  })

  it('exits 0, quietly, in a shell pipeline ending with head -3', async () => {
    const script =
      `seq 0 999999 | "${process.execPath}" "${PANDO}" examples/square-no-delay.js --stdin --local ` +
      `2>"$HOME/stderr" | head -3; echo "pando:\${PIPESTATUS[1]}"; cat "$HOME/stderr"`
    const { stdout } = await promisify(execFile)('bash', ['-c', script], {
      cwd: ROOT,
      env: { HOME: tempHome() },
    })
    expect(stdout).toBe('0\n1\n4\npando:0\n')
  })

  it('stops at once on SIGINT, with status 130', async () => {
    const child = spawnPando(['examples/square-delay.js', '--stdin', '--local'], {
      env: { SQUARE_DELAY_MS: '200' },
    })
    child.stdin?.end(seqLines(0, 1000))
    const result = collect(child)
    await once(child.stdout, 'data') // the first result: pando is running
    const interrupted = Date.now()
    child.kill('SIGINT')
    const { code, signal, stdout, stderr } = await result
    expect({ code, signal, stderr }).toEqual({ code: 130, signal: null, stderr: '' })
    expect(stdout.startsWith('0\n')).toBe(true)
    expect(Date.now() - interrupted).toBeLessThan(1000)
  })

  it('keeps stdout for results: the messages go to stderr', async () => {
    const child = spawnPando(['examples/error.js', '--local', '--retries', '0', '1', '14'])
    const { stdout, stderr, code } = await collect(child)
    expect(stdout).toBe('1\n')
    expect(stderr).toMatch(/^pando: /)
    expect(code).toBe(1)
  })
})
