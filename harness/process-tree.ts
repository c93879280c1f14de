import { readFileSync, readdirSync } from 'node:fs'

/** What `/proc/PID/stat` (or `/proc/PID/task/TID/stat`) says of a process or thread. */
export interface ProcStat {
  /** Its name (`comm`, which may hold spaces and parentheses). */
  readonly comm: string
  readonly ppid: number
  /** CPU ticks, user and system. */
  readonly ticks: number
}

/** A process's or thread's stat (Linux only); `undefined` once it has ended. */
export function readStat(path: string): ProcStat | undefined {
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

/** Every process under `ancestor` (not itself), by parent links (Linux only). */
export function descendants(ancestor: number): Set<number> {
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
