import { readFileSync, readdirSync } from 'node:fs'
import { descendants, readStat } from '../harness/process-tree.ts'

/**
 * Where a thread runs: in the root (`pando` and its children), a tab's page main thread (a Chromium
 * renderer's main thread), a tab's Worker (a renderer's `DedicatedWorker` thread) or the rest of Chromium
 * (browser, GPU, network and WebUI processes, and the renderers' other threads: compositor, IO, thread pool,
 * WebRTC).
 */
export type CpuKind = 'root' | 'pageMain' | 'workers' | 'browserOther'

/** CPU ticks (user + system) of every live thread of the processes the bench started, by `pid/tid`. */
export type CpuSample = ReadonlyMap<
  string,
  { readonly kind: CpuKind; readonly name: string; readonly ticks: number }
>

/** Clock ticks per second of `/proc/PID/stat` times: 100 on every Linux this runs on (`getconf CLK_TCK`). */
const TICKS_PER_SECOND = 100

/** Ticks of each thread of `pid`, with its id and name. */
function threadTicks(pid: number): { tid: number; comm: string; ticks: number }[] {
  let tasks: string[]
  try {
    tasks = readdirSync(`/proc/${String(pid)}/task`)
  } catch {
    return []
  }
  return tasks.flatMap((tid) => {
    const stat = readStat(`/proc/${String(pid)}/task/${tid}/stat`)
    return stat === undefined ? [] : [{ tid: Number(tid), comm: stat.comm, ticks: stat.ticks }]
  })
}

/** Whether `pid` is a Chromium renderer of web pages (a tab's process, not the browser's own WebUI). */
function isRenderer(pid: number): boolean {
  try {
    const args = readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8')
    return args.includes('--type=renderer') && !args.includes('--top-chrome-webui')
  } catch {
    return false
  }
}

/** The processes to sample: what each one is, and its label in a breakdown (see `processLabel`). */
type ProcessKinds = ReadonlyMap<number, { kind: 'root' | 'renderer' | 'chromium'; label: string }>

/**
 * A Chromium process's kind for a breakdown: its `--type` (`renderer`, `gpu-process`, `zygote`), its
 * `--utility-sub-type` for a utility process (`network.mojom.NetworkService`), `top-chrome-webui` for the
 * browser's own WebUI renderer, `browser` without a type.
 */
function processLabel(pid: number): string {
  let args: string
  try {
    args = readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8')
  } catch {
    return '?'
  }
  const flag = (name: string): string | undefined => new RegExp(`--${name}=(\\S+)`).exec(args)?.[1]
  if (args.includes('--top-chrome-webui')) return 'top-chrome-webui'
  return flag('utility-sub-type') ?? flag('type') ?? 'browser'
}

/**
 * The root `rootPid` with its children, and the Chromium `ancestor` launched: every child process of
 * `ancestor` that is not the root's is taken as Chromium's. Reading every process's parent costs some
 * milliseconds per process on the machine: done once per run, not at each sample.
 */
function findProcesses(rootPid: number | undefined, ancestor = process.pid): ProcessKinds {
  const kinds = new Map<number, { kind: 'root' | 'renderer' | 'chromium'; label: string }>()
  if (process.platform !== 'linux') return kinds
  const rootTree = rootPid === undefined ? new Set<number>() : new Set([rootPid, ...descendants(rootPid)])
  for (const pid of descendants(ancestor)) {
    if (rootTree.has(pid)) kinds.set(pid, { kind: 'root', label: 'root' })
    else kinds.set(pid, { kind: isRenderer(pid) ? 'renderer' : 'chromium', label: processLabel(pid) })
  }
  return kinds
}

/** The CPU ticks of every thread of `processes`, by `pid/tid`, each with its kind. */
function sampleThreads(processes: ProcessKinds): CpuSample {
  const sample = new Map<string, { kind: CpuKind; name: string; ticks: number }>()
  for (const [pid, process] of processes) {
    for (const thread of threadTicks(pid)) {
      let kind: CpuKind = 'browserOther'
      if (process.kind === 'root') kind = 'root'
      else if (process.kind === 'renderer' && thread.tid === pid) kind = 'pageMain'
      else if (process.kind === 'renderer' && thread.comm.startsWith('DedicatedWorker')) kind = 'workers'
      const name = `${process.label}: ${thread.comm.replace(/\d+$/, 'N')}`
      sample.set(`${String(pid)}/${String(thread.tid)}`, { kind, name, ticks: thread.ticks })
    }
  }
  return sample
}

/**
 * CPU µs per item of each kind between two samples, over the threads alive at `after` (a thread that ended
 * meanwhile, as a closed tab's, is not counted; one that started counts from 0), as `rootCpuUs`, `pageCpuUs`,
 * `workerCpuUs` and `browserCpuUs`. Ticks are 10 ms: a figure is only as exact as 10 ms over the items.
 */
export function cpuPerItem(before: CpuSample, after: CpuSample, items: number): Record<string, number> {
  const seconds: Record<CpuKind, number> = { root: 0, pageMain: 0, workers: 0, browserOther: 0 }
  for (const [key, thread] of after) {
    seconds[thread.kind] += (thread.ticks - (before.get(key)?.ticks ?? 0)) / TICKS_PER_SECOND
  }
  const per = (kind: CpuKind): number => Math.round((seconds[kind] * 1e6) / items)
  return {
    rootCpuUs: per('root'),
    pageCpuUs: per('pageMain'),
    workerCpuUs: per('workers'),
    browserCpuUs: per('browserOther'),
  }
}
/**
 * CPU µs per item between two samples by process and thread name (`gpu-process: VizCompositorThread`,
 * `renderer: Compositor`; numbered threads together as `ThreadPoolForegroundWorkerN`), those of 1 µs or
 * more, the largest first: where `cpuPerItem`'s figures go.
 */
export function cpuByThread(before: CpuSample, after: CpuSample, items: number): Record<string, number> {
  const seconds = new Map<string, number>()
  for (const [key, thread] of after) {
    const spent = (thread.ticks - (before.get(key)?.ticks ?? 0)) / TICKS_PER_SECOND
    seconds.set(thread.name, (seconds.get(thread.name) ?? 0) + spent)
  }
  const perItem = [...seconds].map(([name, spent]) => [name, Math.round((spent * 1e6) / items)] as const)
  return Object.fromEntries(perItem.filter(([, us]) => us >= 1).sort((a, b) => b[1] - a[1]))
}

/** The columns of `cpuPerItem`'s figures, for a scenario's table. */
export const CPU_COLUMNS = [
  { key: 'rootCpuUs', title: 'root CPU µs/item' },
  { key: 'pageCpuUs', title: 'page CPU µs/item' },
  { key: 'workerCpuUs', title: 'Worker CPU µs/item' },
  { key: 'browserCpuUs', title: 'other Chromium CPU µs/item' },
] as const

/** How often a {@link CpuWatch} samples, in ms: a thread that ends loses at most this much of its time. */
const WATCH_INTERVAL_MS = 200

/**
 * Samples the CPU times of the root `rootPid` and of Chromium from now until `stop()`, every
 * `WATCH_INTERVAL_MS`, keeping the last ticks seen of every thread: the tabs' Workers end when the run is
 * finished, possibly before its last result is read here, and a thread's time leaves /proc with it.
 */
export class CpuWatch {
  readonly #processes: ProcessKinds
  readonly #first: CpuSample
  readonly #latest = new Map<string, { kind: CpuKind; name: string; ticks: number }>()
  readonly #timer: ReturnType<typeof setInterval>

  /** Finds the processes now: the tabs must be open (a process started later is not counted). */
  constructor(rootPid: number | undefined) {
    this.#processes = findProcesses(rootPid)
    this.#first = sampleThreads(this.#processes)
    this.#timer = setInterval(() => this.#sample(), WATCH_INTERVAL_MS)
  }

  /** Takes a last sample and stops; CPU µs per item since the start (see `cpuPerItem`). */
  stop(items: number): Record<string, number> {
    clearInterval(this.#timer)
    this.#sample()
    return cpuPerItem(this.#first, this.#latest, items)
  }

  /** CPU µs per item by thread from the start to the last sample (see `cpuByThread`). */
  byThread(items: number): Record<string, number> {
    return cpuByThread(this.#first, this.#latest, items)
  }

  #sample(): void {
    for (const [key, thread] of sampleThreads(this.#processes)) this.#latest.set(key, thread)
  }
}
