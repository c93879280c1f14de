import type { ChildProcess } from 'node:child_process'
import type { LabHost } from './network-lab.ts'

/** The port coturn listens on for STUN and TURN (UDP and TCP): the standard one. */
export const TURN_PORT = 3478

/** A coturn `turnserver` running in a lab host, and what it logged (its allocations, `relay` addresses…). */
export interface TurnServer {
  readonly process: ChildProcess
  log(): string
}

/**
 * Starts Debian's coturn on `host`, its address only, for STUN and for TURN with the TURN REST API's
 * time-limited credentials made from `secret` (`use-auth-secret`): what `--turn-secret` makes. It is killed
 * with the lab. Resolves once it listens.
 */
export async function startTurnServer(host: LabHost, secret: string): Promise<TurnServer> {
  const child = host.start('turnserver', [
    '-n',
    '--log-file=stdout',
    '--verbose',
    `--listening-ip=${host.address}`,
    `--relay-ip=${host.address}`,
    `--listening-port=${TURN_PORT}`,
    '--use-auth-secret',
    `--static-auth-secret=${secret}`,
    '--realm=pando',
    '--no-tls',
    '--no-dtls',
    '--no-cli',
    // The lab's peers have private addresses (10.x behind the NATs): coturn refuses to relay to them unless
    // told otherwise, as a public TURN server should do.
    '--allow-loopback-peers',
  ])
  let log = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk))
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk))
  const started = Date.now()
  while (!/listener opened on|Total (UDP|General) servers/i.test(log)) {
    if (child.exitCode !== null) throw new Error(`turnserver exited: ${log}`)
    if (Date.now() - started > 20_000) throw new Error(`turnserver did not start: ${log}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return { process: child, log: () => log }
}
