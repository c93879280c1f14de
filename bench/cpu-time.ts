import { readFileSync, readdirSync } from 'node:fs'

/**
 * Where a thread runs: in the root (`pando` and its children), a tab's page main thread (a Chromium
 * renderer's main thread), a tab's Worker (a renderer's `DedicatedWorker` thread) or the rest of Chromium
 * (browser, GPU, network and WebUI processes, and the renderers' other threads: compositor, IO, thread pool,
 * WebRTC).
 */
export type CpuKind = 'root' | 'pageMain' | 'workers' | 'browserOther'

/** CPU ticks (user + system) of every live thread of the processes the bench started, by `pid/tid`. */
export type CpuSample = ReadonlyMap<string, { readonly kind: CpuKind; readonly name: string; readonly ticks: number }>

/** Clock ticks per second of `/proc/PID/stat` times: 100 on every Linux this runs on (`getconf CLK_TCK`). */
const TICKS_PER_SECOND = 100

/** A thread's name and its CPU ticks, from `/proc/PID/task/TID/stat` (`comm` may hold spaces and parens). */
function readStat(path: string): { comm: string; ppid: number; ticks: number } | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return undefined // the thread or process ended meanwhile
  }
  const open = text.indexOf('(')
  const close = text.lastIndexOf(')')
  const fields = text.slice(close + 2).split(' ')
  // Fields after `comm`, from 0: state, ppid (1) … utime (11), stime (12).
  return {
    comm: text.slice(open + 1, close),
    ppid: Number(fields[1]),
    ticks: Number(fields[11]) + Number(fields[12]),
  }
}

/** Every process under `ancestor` (not itself), by parent links. */
function descendants(ancestor: number): Set<number> {
  const parents = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry)
    if (!Number.isInteger(pid)) continue
    const stat = readStat(`/proc/${entry}/stat`)
    if (stat !== undefined) parents.set(pid, stat.ppid)
  }
  const found = new Set<number>()
  let grew = true
  while (grew) {
    grew = false
    for (const [pid, ppid] of parents) {
      if (!found.has(pid) && (ppid === ancestor || found.has(ppid))) {
        found.add(pid)
        grew = true
      }
    }
  }
  return found
}

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

/**
 * The CPU ticks of every thread of the root `rootPid` and of the Chromium this process launched: every child
 * process of this one that is not the root's is taken as Chromium's. Linux only (empty elsewhere).
 */
export function sampleCpuTimes(rootPid: number | undefined, ancestor = process.pid): CpuSample {
  const sample = new Map<string, { kind: CpuKind; name: string; ticks: number }>()
  if (process.platform !== 'linux') return sample
  const rootTree = rootPid === undefined ? new Set<number>() : new Set([rootPid, ...descendants(rootPid)])
  for (const pid of descendants(ancestor)) {
    const renderer = !rootTree.has(pid) && isRenderer(pid)
    for (const thread of threadTicks(pid)) {
      let kind: CpuKind = 'browserOther'
      if (rootTree.has(pid)) kind = 'root'
      else if (renderer && thread.tid === pid) kind = 'pageMain'
      else if (renderer && thread.comm.startsWith('DedicatedWorker')) kind = 'workers'
      sample.set(`${String(pid)}/${String(thread.tid)}`, { kind, name: thread.comm, ticks: thread.ticks })
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
/** The columns of `cpuPerItem`'s figures, for a scenario's table. */
export const CPU_COLUMNS = [
  { key: 'rootCpuUs', title: 'root CPU µs/item' },
  { key: 'pageCpuUs', title: 'page CPU µs/item' },
  { key: 'workerCpuUs', title: 'Worker CPU µs/item' },
  { key: 'browserCpuUs', title: 'other Chromium CPU µs/item' },
] as const
