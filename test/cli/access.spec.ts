// Only the people you invite: the real `pando` and `pando-server`, probed over real sockets as a stranger on
// the LAN, a DNS-rebinding page or a page of another origin would: every page, run file, feed and socket wants
// the printed URL's token, a known Host, and no foreign Origin.
import { execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { ROOT_LINK_VERSION } from '@pando/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { probe, probeUpgrade } from '../support/http-probe.ts'
import {
  PANDO_SERVER,
  PRINTED_DASHBOARD_URL,
  runPando,
  serverUrl,
  startPando,
  waitForServer,
  type PandoRun,
  type PrintedServer,
} from '../../harness/pando-process.ts'

const SECRET = 'a-secret-of-the-access-tests'
const WITH_SECRET = { PANDO_SECRET: SECRET }
const NO_TOKEN = "no token: open the URL that pando printed (with its '?token=')\n"
const WRONG_TOKEN = "wrong token: open the URL that pando printed (with its '?token=')\n"
/** Every page and run file, and every feed and socket, of a run. */
const HTTP_PATHS = ['/', '/index.html', '/monitor/', '/run/bundle.js', '/run/config.json']
const SOCKET_PATHS = ['/volunteer', '/join', '/monitor/feed']

const running: PandoRun[] = []
afterEach(() => {
  for (const run of running.splice(0)) if (run.child.exitCode === null) run.child.kill('SIGKILL')
})

function start(args: string[], options: { bin?: string; env?: Record<string, string> } = {}): PandoRun {
  const run = startPando(args, options)
  running.push(run)
  return run
}

/** `path` on `server`, with `token` (none when `undefined`) in place of its own. */
function urlWith(
  server: PrintedServer,
  path: string,
  token: string | undefined,
  scheme: 'http' | 'ws' = 'http',
): string {
  const url = new URL(serverUrl(server, path, scheme))
  if (token === undefined) url.searchParams.delete('token')
  else url.searchParams.set('token', token)
  return url.href
}

describe('pando: the access token', () => {
  it('prints URLs with a random token, which every page, run file, feed and socket requires', async () => {
    const run = start(['examples/square-no-delay.js', '--stdin', '--port', '0', '--no-start-idle'])
    const server = await waitForServer(run)
    expect(server.token).toMatch(/^[\w-]{32}$/)
    const [, , dashboardToken] = await run.waitForStderr(PRINTED_DASHBOARD_URL)
    expect(dashboardToken).toBe(server.token)
    const wrong = `${server.token.slice(0, -1)}${server.token.endsWith('A') ? 'B' : 'A'}`

    for (const path of HTTP_PATHS) {
      for (const [token, body] of [
        [undefined, NO_TOKEN],
        [wrong, WRONG_TOKEN],
        ['', WRONG_TOKEN],
      ] as const) {
        const answer = await probe(urlWith(server, path, token))
        expect({ path, token, status: answer.status, body: answer.body }).toEqual({
          path,
          token,
          status: 403,
          body,
        })
        expect(answer.headers['cross-origin-resource-policy']).toBe('same-origin')
      }
      const allowed = await probe(serverUrl(server, path))
      expect({ path, status: allowed.status }).toEqual({ path, status: 200 })
      expect(allowed.headers['cross-origin-resource-policy']).toBe('same-origin')
    }
    for (const path of SOCKET_PATHS) {
      expect(await probeUpgrade(urlWith(server, path, undefined, 'ws'))).toEqual({
        opened: false,
        status: 403,
        body: NO_TOKEN,
      })
      expect(await probeUpgrade(urlWith(server, path, wrong, 'ws'))).toEqual({
        opened: false,
        status: 403,
        body: WRONG_TOKEN,
      })
      expect(await probeUpgrade(serverUrl(server, path, 'ws'))).toEqual({ opened: true })
    }
    // The pages' scripts, named by their content hash, are the same for every run: public.
    const page = await probe(serverUrl(server, '/'))
    const script = /src="?\/?(main\.[0-9a-f]{8}\.js)/.exec(page.body)?.[1]
    expect(script).toBeDefined()
    expect((await probe(urlWith(server, `/${script ?? ''}`, undefined))).status).toBe(200)

    run.child.stdin.end('3\n')
    expect(await run.exited).toMatchObject({ stdout: '9\n', code: 0 })
  })

  it('--open drops the token: the URL has none and nothing asks for one', async () => {
    const run = start(['examples/square-no-delay.js', '--stdin', '--port', '0', '--no-start-idle', '--open'])
    const [, port = ''] = await run.waitForStderr(/volunteers can join at http:\/\/localhost:(\d+)\/\n/)
    await run.waitForStderr(/the dashboard is at http:\/\/localhost:\d+\/monitor\/\n/)
    for (const path of HTTP_PATHS) {
      expect((await probe(`http://127.0.0.1:${port}${path}`)).status).toBe(200)
    }
    for (const path of SOCKET_PATHS) {
      expect(await probeUpgrade(`ws://127.0.0.1:${port}${path}`)).toEqual({ opened: true })
    }
    // Origin is still checked.
    expect(
      await probeUpgrade(`ws://127.0.0.1:${port}/monitor/feed`, { Origin: 'http://127.0.0.2:8081' }),
    ).toMatchObject({ opened: false, status: 403 })
    run.child.stdin.end('4\n')
    expect(await run.exited).toMatchObject({ stdout: '16\n', code: 0 })
  })
})

describe('pando: Host and Origin', () => {
  it('refuses a Host it does not know (DNS rebinding) unless --allow-host names it', async () => {
    const run = start([
      'examples/square-no-delay.js',
      '--stdin',
      '--port',
      '0',
      '--allow-host',
      'pando.example.org',
    ])
    const server = await waitForServer(run)
    const rebound = { Host: `rebound.example:${server.port}` }
    const refusal =
      'pando does not answer to the host name "rebound.example:' +
      `${server.port}": reach it by its IP address, localhost or this machine's name, or allow the name with --allow-host\n`
    expect(await probe(serverUrl(server, '/run/bundle.js'), rebound)).toMatchObject({
      status: 403,
      body: refusal,
    })
    expect(await probe(serverUrl(server, '/'), rebound)).toMatchObject({ status: 403, body: refusal })
    for (const path of SOCKET_PATHS) {
      expect(await probeUpgrade(serverUrl(server, path, 'ws'), rebound)).toEqual({
        opened: false,
        status: 403,
        body: refusal,
      })
    }
    for (const host of [
      'pando.example.org',
      `pando.example.org:${server.port}`,
      `127.0.0.1:${server.port}`,
      `localhost:${server.port}`,
      `[::1]:${server.port}`,
    ]) {
      expect({ host, status: (await probe(serverUrl(server, '/'), { Host: host })).status }).toEqual({
        host,
        status: 200,
      })
    }
    run.child.kill('SIGINT')
    expect((await run.exited).code).toBe(130)
  })

  it('refuses the sockets, feed and files to a page of another origin, even with the token', async () => {
    const run = start(['examples/square-no-delay.js', '--stdin', '--port', '0'])
    const server = await waitForServer(run)
    const foreign = { Origin: 'http://127.0.0.2:8081' }
    const refusal = 'pages of another origin (http://127.0.0.2:8081) may not use pando\n'
    for (const path of SOCKET_PATHS) {
      expect(await probeUpgrade(serverUrl(server, path, 'ws'), foreign)).toEqual({
        opened: false,
        status: 403,
        body: refusal,
      })
      // Its own pages' origin may, whatever the scheme (a TLS-terminating proxy in front).
      for (const origin of [`http://127.0.0.1:${server.port}`, `https://127.0.0.1:${server.port}`]) {
        expect(await probeUpgrade(serverUrl(server, path, 'ws'), { Origin: origin })).toEqual({
          opened: true,
        })
      }
    }
    expect(await probe(serverUrl(server, '/run/bundle.js'), foreign)).toMatchObject({
      status: 403,
      body: refusal,
    })
    // A <script src> of another site sends no Origin, but Chromium says where it comes from.
    const crossSite = {
      'Sec-Fetch-Site': 'cross-site',
      'Sec-Fetch-Mode': 'no-cors',
      'Sec-Fetch-Dest': 'script',
    }
    expect(await probe(serverUrl(server, '/run/bundle.js'), crossSite)).toMatchObject({
      status: 403,
      body: 'pages of another site may not use pando\n',
    })
    // A link to the printed URL, followed from another site (a chat, a mail), is a navigation: let through.
    const followed = {
      'Sec-Fetch-Site': 'cross-site',
      'Sec-Fetch-Mode': 'navigate',
      'Sec-Fetch-Dest': 'document',
    }
    expect((await probe(serverUrl(server, '/'), followed)).status).toBe(200)
    run.child.kill('SIGINT')
    expect((await run.exited).code).toBe(130)
  })
})

describe('pando --listen', () => {
  it('listens only where it is told, and prints that address', async () => {
    const run = start(['examples/square-no-delay.js', '--stdin', '--port', '0', '--listen', '127.0.0.1'])
    const server = await waitForServer(run)
    expect(run.stderr()).toMatch(
      /^pando: volunteers can join at http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}\n/,
    )
    expect((await probe(serverUrl(server, '/'))).status).toBe(200)
    await expect(probe(`http://127.0.0.2:${server.port}/?token=${server.token}`)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    })
    run.child.kill('SIGINT')
    expect((await run.exited).code).toBe(130)
  })

  it('listens on every interface by default without --volunteers', async () => {
    const run = start(['examples/square-no-delay.js', '--stdin', '--port', '0'])
    const server = await waitForServer(run)
    expect((await probe(`http://127.0.0.2:${server.port}/?token=${server.token}`)).status).toBe(200)
    run.child.kill('SIGINT')
    expect((await run.exited).code).toBe(130)
  })

  it('exits with status 2 on an address that is not one of this machine', async () => {
    const result = await runPando(['examples/square.js', '1', '--port', '0', '--listen', '192.0.2.7'])
    expect(result).toEqual({
      stdout: '',
      stderr: 'pando: --listen 192.0.2.7 is not an address of this machine\n',
      code: 2,
      signal: null,
    })
  })
})

describe('pando-server: access', () => {
  it('makes a token at start, which the root is given and prints, and which its pages and files require', async () => {
    const server = start(['--port', '0'], { bin: PANDO_SERVER, env: WITH_SECRET })
    const printed = await waitForServer(server)
    expect(server.stderr()).toMatch(
      /^pando-server: volunteers can join at http:\/\/localhost:\d+\/\?token=[\w-]{32} \(they wait for a root between runs\)\n/,
    )
    const root = start(
      ['examples/square-no-delay.js', '--stdin', '--no-start-idle', '--host', `localhost:${printed.port}`],
      {
        env: WITH_SECRET,
      },
    )
    const rootUrl = await waitForServer(root)
    expect(rootUrl).toEqual(printed)
    await root.waitForStderr(
      new RegExp(
        `pando: the dashboard is at http://localhost:${printed.port}/monitor/\\?token=${printed.token}\n`,
      ),
    )
    await expect.poll(async () => (await probe(serverUrl(printed, '/run/config.json'))).status).toBe(200)
    expect(await probe(urlWith(printed, '/run/bundle.js', undefined))).toMatchObject({
      status: 403,
      body: NO_TOKEN,
    })
    for (const path of SOCKET_PATHS) {
      expect(await probeUpgrade(urlWith(printed, path, 'not-it', 'ws'))).toMatchObject({
        status: 403,
        body: WRONG_TOKEN,
      })
    }
    root.child.stdin.end('5\n')
    expect(await root.exited).toMatchObject({ stdout: '25\n', code: 0 })
  })

  it('--open: no token', async () => {
    const server = start(['--port', '0', '--open'], { bin: PANDO_SERVER, env: WITH_SECRET })
    const [, port = ''] = await server.waitForStderr(/volunteers can join at http:\/\/localhost:(\d+)\/ \(/)
    expect(await probeUpgrade(`ws://127.0.0.1:${port}/volunteer`)).toEqual({ opened: true })
  })
})

describe('pando-server: root links', () => {
  it('lets a real root register while links that never say hello keep coming, and drops those within 2 s', async () => {
    const server = start(['--port', '0'], { bin: PANDO_SERVER, env: WITH_SECRET })
    const { port } = await waitForServer(server)
    let stopped = false
    const closes: { code: number; reason: string }[] = []
    // Eight links that never say hello, each opened again as soon as it is closed.
    const squat = async (): Promise<void> => {
      while (!stopped) {
        const socket = new WebSocket(`ws://127.0.0.1:${port}/root`)
        socket.on('error', () => undefined)
        const [code, reason] = (await once(socket, 'close')) as [number, Buffer]
        closes.push({ code, reason: String(reason) })
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    }
    const squatters = Array.from({ length: 8 }, squat)
    await new Promise((resolve) => setTimeout(resolve, 300))
    const root = await runPando(
      ['examples/square-no-delay.js', '1', '2', '3', '--no-start-idle', '--host', `localhost:${port}`],
      {
        env: WITH_SECRET,
      },
    )
    expect(root.code).toBe(0)
    expect(root.stdout).toBe('1\n4\n9\n')
    await expect.poll(() => closes.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(8)
    expect(closes[0]).toEqual({ code: 1008, reason: 'no hello within 2 s' })
    stopped = true
    await Promise.all(squatters)
  })

  it('counts wrong secrets by /64: five from one IPv6 address, and the next of its /64 is refused at once', async () => {
    // Two addresses of one /64 on the test namespace's loopback (the tests run as root of their namespace).
    execFileSync('ip', ['-6', 'addr', 'add', '2001:db8:1:2::a/64', 'dev', 'lo', 'nodad'])
    execFileSync('ip', ['-6', 'addr', 'add', '2001:db8:1:2::b/64', 'dev', 'lo', 'nodad'])
    try {
      const server = start(['--port', '0'], { bin: PANDO_SERVER, env: WITH_SECRET })
      const { port } = await waitForServer(server)
      const guess = async (from: string): Promise<string> => {
        const socket = new WebSocket(`ws://[2001:db8:1:2::a]:${port}/root`, { localAddress: from })
        socket.on('error', () => undefined)
        await once(socket, 'open')
        socket.send(
          JSON.stringify({
            type: 'hello',
            version: ROOT_LINK_VERSION,
            secret: 'a-wrong-guess-of-the-secret',
          }),
        )
        const [, reason] = (await once(socket, 'close')) as [number, Buffer]
        return String(reason)
      }
      for (let n = 0; n < 5; n++) expect(await guess('2001:db8:1:2::a')).toBe('wrong secret')
      expect(await guess('2001:db8:1:2::b')).toBe(
        'too many wrong secrets from this address: try again in a minute',
      )
      expect(server.stderr()).toContain('refused a root from 2001:db8:1:2::b: too many wrong secrets')
    } finally {
      execFileSync('ip', ['-6', 'addr', 'del', '2001:db8:1:2::a/64', 'dev', 'lo'])
      execFileSync('ip', ['-6', 'addr', 'del', '2001:db8:1:2::b/64', 'dev', 'lo'])
    }
  })

  it('refuses a secret of fewer than 16 characters on both sides, with status 2', async () => {
    const short = { PANDO_SECRET: '0123456789abcde' }
    expect(await runPando(['--port', '0'], { bin: PANDO_SERVER, env: short })).toEqual({
      stdout: '',
      stderr:
        'pando-server: the secret of pando-server is too short: it needs 16 characters or more, hard to guess, ' +
        'e.g. export PANDO_SECRET=$(openssl rand -hex 16)\n',
      code: 2,
      signal: null,
    })
    expect(await runPando(['examples/square.js', '1', '--host', 'localhost:5000'], { env: short })).toEqual({
      stdout: '',
      stderr:
        'pando: the secret of the pando-server (--host) is too short: it needs 16 characters or more, hard to ' +
        'guess, e.g. export PANDO_SECRET=$(openssl rand -hex 16)\n',
      code: 2,
      signal: null,
    })
  })
})
