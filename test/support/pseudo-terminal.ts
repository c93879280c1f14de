import { spawn } from 'node:child_process'
import { PANDO, ROOT, inheritedEnv, tempHome } from '../../harness/pando-process.ts'

/** The longest a run in a pseudo-terminal may take before it is killed. */
const RUN_TIMEOUT_MS = 100_000

export interface TerminalRun {
  /** Everything written to the terminal (stdout and stderr both), as the terminal received it. */
  readonly raw: string
  /** What a person sees at the end: {@link screenLines} of `raw`. */
  readonly screen: string[]
  readonly code: number | null
}

/** `text` quoted for `sh`. */
const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`

/**
 * Runs `pando ARGS` with stdin, stdout and stderr on a pseudo-terminal (util-linux's `script`), as a person
 * runs it, and collects what the terminal received. Stdin is the terminal too, and nothing is typed.
 */
export function runInPseudoTerminal(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<TerminalRun> {
  const command = [PANDO, ...args].map(shellQuote).join(' ')
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: ROOT,
    env: {
      ...inheritedEnv(),
      HOME: tempHome(),
      TERM: 'xterm',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS)
  let raw = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (raw += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (raw += chunk))
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ raw, screen: screenLines(raw), code })
    }),
  )
}

/**
 * The lines a terminal shows after receiving `text`: `\r` moves to the start of the line, `\n` to the next
 * line, `ESC [2K` erases the line, other characters overwrite what is under the cursor. Any other escape
 * sequence throws: pando writes no other. Trailing empty lines are left out.
 */
export function screenLines(text: string): string[] {
  const lines: string[][] = [[]]
  let row = 0
  let column = 0
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] ?? ''
    if (char === '\r') column = 0
    else if (char === '\n') {
      row += 1
      lines[row] ??= []
    } else if (char === '\x1b') {
      if (!text.startsWith('\x1b[2K', i)) {
        throw new Error(`unexpected escape sequence ${JSON.stringify(text.slice(i, i + 8))}`)
      }
      lines[row] = []
      i += 3
    } else {
      const line = lines[row] ?? []
      while (line.length < column) line.push(' ')
      line[column] = char
      column += 1
      lines[row] = line
    }
  }
  const shown = lines.map((line) => line.join(''))
  while (shown.at(-1) === '') shown.pop()
  return shown
}
