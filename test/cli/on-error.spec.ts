import { describe, expect, it } from 'vitest'
import { runPando, seqLines } from '../../harness/pando-process.ts'

const squareOrFailed = (marker: string) => (n: number) => (n % 7 === 0 ? marker : String(n * n))

describe.concurrent('pando --on-error', () => {
  it('abort (the default): the results before the item, its name and error, status 1', async () => {
    const result = await runPando(['examples/error.js', '--local', '--stdin'], { input: seqLines(1, 10) })
    expect(result).toEqual({
      stdout: seqLines(1, 7, (n) => String(n * n)),
      stderr:
        'pando: the function failed on line 7 of standard input, "7" (3 attempts): Error: 7 is a multiple of 7\n',
      code: 1,
      signal: null,
    })
  })

  it('skip: leaves the failed items out, names each on stderr, counts them at the end, status 1', async () => {
    const result = await runPando(
      ['examples/error.js', '--local', '--stdin', '--on-error', 'skip', '--retries', '0'],
      {
        input: seqLines(1, 16),
      },
    )
    expect(result.stdout).toBe(
      seqLines(1, 16, String)
        .split('\n')
        .filter((line) => line !== '' && Number(line) % 7 !== 0)
        .map((line) => `${Number(line) ** 2}\n`)
        .join(''),
    )
    expect(result.stderr).toBe(
      'pando: skipped: the function failed on line 7 of standard input, "7" (1 attempt): Error: 7 is a multiple of 7\n' +
        'pando: skipped: the function failed on line 14 of standard input, "14" (1 attempt): Error: 14 is a multiple of 7\n' +
        'pando: 2 items failed and were skipped (--on-error skip): every other result was written\n',
    )
    expect(result.code).toBe(1)
  })

  it('mark: writes the marker in place of each failed item, so lines stay aligned', async () => {
    const result = await runPando(['examples/error.js', '--local', '--stdin', '--on-error', 'mark'], {
      input: seqLines(1, 16),
    })
    expect(result.stdout).toBe(seqLines(1, 16, squareOrFailed('')))
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(3)
    expect(result.stderr).toMatch(
      /\npando: 2 items failed and were marked "" \(--on-error mark\): every other result was written\n$/,
    )
    expect(result.code).toBe(1)
  })

  it('mark with --error-marker', async () => {
    const result = await runPando([
      'examples/error.js',
      '--local',
      '6',
      '7',
      '8',
      '--on-error=mark',
      '--error-marker=N/A',
    ])
    expect(result.stdout).toBe('36\nN/A\n64\n')
    expect(result.stderr).toMatch(
      /\npando: 1 item failed and was marked "N\/A" \(--on-error mark\): every other result was written\n$/,
    )
    expect(result.code).toBe(1)
  })

  it('skip and mark with no failure: status 0, nothing on stderr', async () => {
    for (const policy of ['skip', 'mark']) {
      const result = await runPando(['examples/error.js', '--local', '6', '8', '--on-error', policy])
      expect(result).toEqual({ stdout: '36\n64\n', stderr: '', code: 0, signal: null })
    }
  })

  it('refuses an unknown policy', async () => {
    const result = await runPando(['examples/error.js', '--local', '6', '--on-error', 'ignore'])
    expect(result).toEqual({
      stdout: '',
      stderr: `pando: --on-error must be one of abort, skip, mark, not "ignore" (see 'pando --help')\n`,
      code: 2,
      signal: null,
    })
  })
})
