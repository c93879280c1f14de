import { listeningUrls } from '@pando/server'
import { checkModuleFile } from './load-module.ts'
import type { RunOptions } from './parse-arguments.ts'

/** Stands for the access token in the URLs a dry run shows: each run makes its own. */
const TOKEN_PLACEHOLDER = '<token>'

/**
 * `--dry-run`: what the run would do, one `name: value` line each, for stdout. Nothing is bundled, loaded,
 * read or served; only the module's file is checked to exist.
 * @throws {UsageError} when the module is missing
 */
export function describeDryRun(options: RunOptions, cwd: string): string {
  const lines: [string, string][] = [
    ['module', checkModuleFile(options.module, cwd)],
    ['items', itemsOf(options)],
    ['records', options.recordSeparator === '\0' ? 'end at NUL (--null)' : 'end at newline'],
    ['output', outputOf(options)],
    ...computingOf(options),
  ]
  return lines.map(([name, value]) => `${name}: ${value}\n`).join('')
}

function itemsOf(options: RunOptions): string {
  if (options.argFile !== undefined) return `from the file ${options.argFile} (--arg-file)`
  if (options.syncStdio) return 'from the pull-sync peer on standard input (--sync-stdio)'
  if (options.stdin) return 'from standard input'
  return `${options.items.length} from the command line`
}

function outputOf(options: RunOptions): string {
  const what = options.tag ? 'each result after its item and a tab (--tag)' : 'each result'
  const halt = options.halt === undefined ? '' : `, until --halt ${options.halt.text}`
  return `${what} on standard output, in input order${halt}`
}

/** Where the items would be computed, and, for volunteers, the URLs they would open. */
function computingOf(options: RunOptions): [string, string][] {
  if (options.local) {
    const how =
      options.jobs === 1
        ? 'one item at a time in this process'
        : `${options.jobs} items at a time, in worker threads`
    return [['computed', `here (--local), ${how}`]]
  }
  const tabs =
    options.volunteers === 0 ? '' : `, ${options.volunteers} of them headless Chromium tabs opened here`
  const here = options.startIdle ? '' : ', and in this process (--no-start-idle)'
  const lines: [string, string][] = [['computed', `by volunteers' Web Workers${tabs}${here}`]]
  const token = options.open ? '' : `?token=${TOKEN_PLACEHOLDER}`
  if (options.host !== undefined) {
    return [
      ...lines,
      ['volunteers open', `${options.host.pageUrl}${token} (the pando-server at ${options.host.display})`],
    ]
  }
  const port = options.port === 0 ? '<free port>' : String(options.port)
  const urls = listeningUrls(options.listen, 0).map((url) => url.replace(':0/', `:${port}/`))
  return [
    ...lines,
    ['volunteers open', urls.map((url) => `${url}${token}`).join(' or ')],
    ['transport', 'a WebRTC tree of degree ' + String(options.degree) + ', WebSocket when WebRTC fails'],
  ]
}
