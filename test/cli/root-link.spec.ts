// The root link between a real `pando` and a real `pando-server`, watched by the same `Link` at both ends:
// either end gives a silent other end up (a process stopped with SIGSTOP: no close, no packet), within the
// link's timeout, and says why in the same words; the root's output is a correct prefix.
import { rootLinkTimeoutMs, silentLinkReason } from '@pando/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import {
  PANDO_SERVER,
  seqLines,
  startPando,
  waitForServer,
  type PandoRun,
} from '../../harness/pando-process.ts'

const WITH_SECRET = { PANDO_SECRET: 'correct-horse-battery-staple' }
const ROOT_URL = /pando: volunteers can join at http:\/\/localhost:(\d+)\//
/** The server's heartbeat: the root link's timeout is four of it, both ends. */
const HEARTBEAT_MS = 500
const SILENT = silentLinkReason(rootLinkTimeoutMs(HEARTBEAT_MS))

const running: PandoRun[] = []
afterEach(() => {
  for (const run of running.splice(0)) {
    if (run.child.exitCode !== null) continue
    run.child.kill('SIGCONT')
    run.child.kill('SIGKILL')
  }
})

function start(args: string[], bin?: string): PandoRun {
  const run = startPando(args, { env: WITH_SECRET, ...(bin === undefined ? {} : { bin }) })
  running.push(run)
  return run
}

/** A pando-server with a short heartbeat, and a root registered with it that has written 100 results. */
async function serverAndRoot(): Promise<{ server: PandoRun; root: PandoRun; port: string }> {
  const server = start(['--port', '0', '--heartbeat', `${HEARTBEAT_MS}ms`], PANDO_SERVER)
  const { port } = await waitForServer(server)
  const root = start([
    'examples/square-no-delay.js',
    '--stdin',
    '--no-start-idle',
    '--host',
    `localhost:${port}`,
  ])
  await root.waitForStderr(ROOT_URL)
  root.child.stdin.write(seqLines(0, 100))
  await root.waitForLines(100)
  return { server, root, port }
}

const lost = (port: string, reason: string): string =>
  `pando: lost the link to pando-server at localhost:${port} (${reason}): the run cannot go on without it ` +
  'and stops here; the results written are correct, the rest were not computed\n'

describe('the root link, watched by one Link at both ends', () => {
  it('pando-server drops a stopped root (SIGSTOP) and says why; the root, resumed, stops with the same words', async () => {
    expect(SILENT).toBe('no heartbeat within 2 s')
    const { server, root, port } = await serverAndRoot()
    root.child.kill('SIGSTOP')
    await server.waitForStderr(/pando-server: the root from 127\.0\.0\.1 left: .*\n/)
    expect(server.stderr()).toContain(`pando-server: the root from 127.0.0.1 left: ${SILENT}\n`)
    root.child.kill('SIGCONT')
    const result = await root.exited
    expect(result.code).toBe(1)
    expect(result.stdout).toBe(seqLines(0, 100, (n) => String(n * n)))
    expect(result.stderr.endsWith(lost(port, SILENT))).toBe(true)
  })

  it('the root gives a stopped pando-server (SIGSTOP) up and stops with status 1, its output a correct prefix', async () => {
    const { server, root, port } = await serverAndRoot()
    server.child.kill('SIGSTOP')
    const result = await root.exited
    expect(result.code).toBe(1)
    expect(result.stdout).toBe(seqLines(0, 100, (n) => String(n * n)))
    expect(result.stderr.endsWith(lost(port, SILENT))).toBe(true)
  })
})
