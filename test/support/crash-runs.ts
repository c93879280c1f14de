import { spawn } from 'node:child_process'
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs'
import { inheritedEnv, PANDO, ROOT, tempHome } from '../../harness/pando-process.ts'

/** A run of `pando` that writes to files, as a shell would with `< in >> out`. */
export interface FileRun {
  /** Standard input: this file. */
  readonly input: string
  /** Standard output: appended to this file (`>> out`). */
  readonly output: string
  /** `$PANDO_TEST_COUNT`: the file where the test fixture notes each computation. */
  readonly countFile: string
  /** Killed with SIGKILL once `output` holds this many bytes. */
  readonly killAtBytes?: number
  /** Killed with SIGKILL once the fixture has noted this many computations (in all runs); never if absent. */
  readonly killAfter?: number
  /** A run that outlives this is killed and the test fails. @default 90 s */
  readonly timeoutMs?: number
  /** Called with all of standard error so far, each time more comes (to wait for the printed URL). */
  readonly onStderr?: (stderr: string) => void
}

export interface FileRunResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stderr: string
}

/** Lines in `file` (0 when it does not exist yet). */
export function countLines(file: string): number {
  if (!existsSync(file)) return 0
  const text = readFileSync(file, 'utf8')
  let lines = 0
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++
  return lines
}

function fileSize(file: string): number {
  try {
    return statSync(file).size
  } catch {
    return 0
  }
}

/** Runs `pando ARGS < input >> output`, and kills it at `killAfter` computations if asked. */
export function runWithFiles(args: readonly string[], run: FileRun): Promise<FileRunResult> {
  const stdin = openSync(run.input, 'r')
  const stdout = openSync(run.output, 'a')
  const child = spawn(PANDO, args, {
    cwd: ROOT,
    env: {
      ...inheritedEnv(),
      HOME: tempHome(),
      PANDO_TEST_COUNT: run.countFile,
      ...(process.env['PANDO_CHROMIUM'] === undefined
        ? {}
        : { PANDO_CHROMIUM: process.env['PANDO_CHROMIUM'] }),
    },
    stdio: [stdin, stdout, 'pipe'],
  })
  closeSync(stdin)
  closeSync(stdout)
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
    run.onStderr?.(stderr)
  })
  const watch =
    run.killAfter === undefined && run.killAtBytes === undefined
      ? undefined
      : setInterval(() => {
          if (run.killAfter !== undefined && countLines(run.countFile) >= run.killAfter) child.kill('SIGKILL')
          if (run.killAtBytes !== undefined && fileSize(run.output) >= run.killAtBytes) child.kill('SIGKILL')
        }, 5)
  const timeout = setTimeout(() => child.kill('SIGKILL'), run.timeoutMs ?? 90_000)
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearInterval(watch)
      clearTimeout(timeout)
      resolve({ code, signal, stderr })
    })
  })
}

/** The positions of the items a journal records, in the order they were written (see `ItemsRecord`). */
export function journaledPositions(journal: string): number[] {
  if (!existsSync(journal)) return []
  return readFileSync(journal, 'utf8')
    .split('\n')
    .flatMap((line) => {
      const json = /^[0-9a-f]{8} [0-9a-f]+ (\{"i":.*)$/.exec(line)?.[1]
      if (json === undefined) return []
      try {
        return (JSON.parse(json) as { i: [number][] }).i.map(([n]) => n)
      } catch {
        return [] // a torn last record
      }
    })
}
