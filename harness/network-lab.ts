import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

/**
 * A lab of hosts: real networks on one machine, for tests through LANs, NATs and TURN (see
 * /work/shared/docs/webrtc-testing.md, "A lab of hosts", and README.md: Networks).
 *
 * Every host, router and switch is a network namespace of its own, made by `unshare -n` and held open by a
 * small shell that exits when this process does (it waits on its stdin). The namespaces are joined by veth
 * pairs and bridges; routers forward, and NAT with nftables. The lab adds nothing to the namespace of the
 * process that builds it, and it refuses to start unless that namespace has only loopback
 * (`scripts/loopback-only.mjs`): no packet of the lab can reach a real network. No `ip netns` (it needs
 * /run/netns bind mounts, visible outside): programs enter a host with `nsenter -t PID -n`.
 */

const run = promisify(execFile)

/** How a router translates the addresses of the LAN behind it. */
export type Nat =
  /** No NAT: the LAN's addresses are routed as they are (a LAN with no Internet). */
  | 'none'
  /**
   * nftables `masquerade`: one outside port per inside address and port, whoever it talks to (endpoint-
   * independent mapping: "cone"), so STUN's answer is the mapping a peer can reach.
   */
  | 'cone'
  /** `masquerade random,fully-random`: a new outside port for each destination (symmetric): STUN is no help. */
  | 'symmetric'

/** A namespace of the lab, held open by a process. */
export interface Namespace {
  readonly name: string
  /** The pid of the process that holds the namespace: `nsenter -t PID -n` enters it. */
  readonly pid: number
}

/** A host: one interface `eth0` on a segment, its address and its default route. */
export interface LabHost extends Namespace {
  readonly address: string
  /** Runs a command in the host and returns its stdout. @throws when it fails */
  exec(file: string, args?: readonly string[]): Promise<string>
  /** `file args` as a command that runs inside this host, for `spawn` (e.g. `startPando`'s `bin`). */
  command(file: string, args?: readonly string[]): { file: string; args: string[] }
  /**
   * Starts a long-running program in the host (a TURN server…), killed with the lab. Killed too when the
   * test process dies (`setpriv --pdeathsig`), so none outlives a crash.
   */
  start(file: string, args?: readonly string[]): ChildProcess
  /** A Chromium launcher for playwright's `executablePath`: Chromium, run inside this host. */
  readonly chromium: string
  /** Cuts the host's link (`ip link set eth0 down` on the switch's side): a silent loss, no close. */
  cut(): Promise<void>
}

/** A segment: a bridge in a namespace of its own, which is also the segment's gateway (its router). */
export interface LabSegment extends Namespace {
  /** The first three bytes of the segment's /24, e.g. `10.77.0`. */
  readonly prefix: string
  /** The gateway's address on the segment: `PREFIX.1`. */
  readonly gateway: string
}

export interface SegmentOptions {
  /** The first three bytes of its /24, e.g. `10.77.0`; the gateway is `.1`. */
  readonly prefix: string
  /**
   * The segment's way out: its router's outside interface on another segment, with this address, and the NAT
   * it applies. Without it, the segment is the top (the lab's "Internet", or a LAN with no way out).
   */
  readonly uplink?: { readonly segment: LabSegment; readonly address: string; readonly nat: Nat }
}

export interface NetworkLab {
  segment(name: string, options: SegmentOptions): Promise<LabSegment>
  /** A host on `segment` at `PREFIX.index`, with its default route through the segment's gateway. */
  host(name: string, segment: LabSegment, index: number): Promise<LabHost>
  /** Kills every process the lab started, then the namespaces (the links and bridges vanish with them). */
  close(): Promise<void>
}

/** Whether this machine can build a lab: root, `nft`, `turnserver`, `unshare`, `nsenter` and `setpriv`. */
export function labAvailable(): boolean {
  if (process.getuid?.() !== 0) return false
  return ['nft', 'turnserver', 'unshare', 'nsenter', 'setpriv', 'ip'].every(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0,
  )
}

/** Refuses to build a lab in a namespace with a real network: only inside `scripts/loopback-only.mjs`. */
function assertLoopbackOnly(): void {
  const outside = Object.entries(os.networkInterfaces()).filter(([, addresses]) =>
    (addresses ?? []).some((address) => !address.internal),
  )
  if (outside.length > 0) {
    throw new Error(
      `the network lab runs only in a namespace with loopback alone (node scripts/loopback-only.mjs …); ` +
        `this one has ${outside.map(([name]) => name).join(', ')}`,
    )
  }
}

/** Starts a new lab. Close it in `afterAll`/`finally`; its namespaces die with this process anyway. */
export function createNetworkLab(): NetworkLab {
  assertLoopbackOnly()
  const holders: ChildProcess[] = []
  const programs: ChildProcess[] = []
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'pando-lab-'))
  let links = 0

  const hold = (name: string): Namespace => {
    // `read` returns when this process's end of the pipe closes: the namespace cannot outlive the test.
    const holder = spawn('unshare', ['-n', 'sh', '-c', 'ip link set lo up && read _'], {
      stdio: ['pipe', 'ignore', 'inherit'],
    })
    if (holder.pid === undefined) throw new Error(`cannot start the holder of ${name}`)
    holders.push(holder)
    return { name, pid: holder.pid }
  }
  const inside = async (ns: Namespace, script: string): Promise<string> => {
    try {
      return (await run('nsenter', ['-t', String(ns.pid), '-n', 'sh', '-ec', script])).stdout
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? String(error)
      throw new Error(`lab: ${ns.name}: ${script}: ${stderr}`, { cause: error })
    }
  }
  // Waits until the holder has made its namespace (nsenter to a pid still in the old one would join ours).
  const ready = async (ns: Namespace): Promise<void> => {
    const own = await run('readlink', ['/proc/self/ns/net'])
    for (let tries = 0; tries < 200; tries++) {
      const theirs = await run('readlink', [`/proc/${ns.pid}/ns/net`]).catch(() => own)
      if (theirs.stdout !== own.stdout) return
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    throw new Error(`lab: the namespace of ${ns.name} did not appear`)
  }
  /** A veth pair: `inner` (named `innerName`) in `host`, the other end on `segment`'s bridge. */
  const link = async (segment: Namespace, host: Namespace, innerName: string): Promise<string> => {
    const outer = `v${++links}`
    await inside(
      segment,
      `ip link add ${outer} type veth peer name ${innerName} netns ${host.pid}
       ip link set ${outer} master br0 up`,
    )
    return outer
  }

  const lab: NetworkLab = {
    async segment(name, { prefix, uplink }) {
      const ns = hold(name)
      await ready(ns)
      await inside(
        ns,
        `ip link add br0 type bridge && ip link set br0 up && ip addr add ${prefix}.1/24 dev br0
         sysctl -qw net.ipv4.ip_forward=1`,
      )
      if (uplink !== undefined) {
        await link(uplink.segment, ns, 'wan')
        await inside(
          ns,
          `ip addr add ${uplink.address}/24 dev wan && ip link set wan up
           ip route add default via ${uplink.segment.gateway}`,
        )
        // A router's firewall drops what comes unasked from outside, as home routers do. Without it, a peer's
        // hole-punching check that arrives first leaves a conntrack entry on the router's own address that
        // takes the very tuple the inside host's own check then needs, so masquerade picks another port and
        // both sides' holes miss (seen: a root and a tab behind two such NATs could not connect).
        if (uplink.nat !== 'none') {
          const ports = uplink.nat === 'symmetric' ? ' random,fully-random' : ''
          await inside(
            ns,
            `nft add table ip nat
             nft add chain ip nat post '{ type nat hook postrouting priority 100; }'
             nft add rule ip nat post oifname wan masquerade${ports}
             nft add table ip filter
             nft add chain ip filter input '{ type filter hook input priority 0; }'
             nft add rule ip filter input iifname wan ct state new drop`,
          )
        }
      }
      return { ...ns, prefix, gateway: `${prefix}.1` }
    },

    async host(name, segment, index) {
      const ns = hold(name)
      await ready(ns)
      const address = `${segment.prefix}.${index}`
      const outer = await link(segment, ns, 'eth0')
      await inside(
        ns,
        `ip addr add ${address}/24 dev eth0 && ip link set eth0 up
         ip route add default via ${segment.gateway}`,
      )
      const enter = ['-t', String(ns.pid), '-n']
      const chromium = path.join(scratch, `chromium-${name}`)
      writeFileSync(
        chromium,
        `#!/bin/sh\nexec nsenter ${enter.join(' ')} ${process.env.PANDO_CHROMIUM ?? '/usr/bin/chromium'} "$@"\n`,
      )
      chmodSync(chromium, 0o755)
      return {
        ...ns,
        address,
        chromium,
        exec: async (file, args = []) => (await run('nsenter', [...enter, file, ...args])).stdout,
        command: (file, args = []) => ({ file: 'nsenter', args: [...enter, '--', file, ...args] }),
        start(file, args = []) {
          const child = spawn('nsenter', [...enter, 'setpriv', '--pdeathsig', 'KILL', file, ...args], {
            stdio: ['ignore', 'pipe', 'pipe'],
          })
          programs.push(child)
          return child
        },
        cut: () => inside(segment, `ip link set ${outer} down`).then(() => undefined),
      }
    },

    async close() {
      for (const child of [...programs, ...holders].reverse()) {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      }
      await Promise.all(
        holders.map(
          (holder) =>
            new Promise((resolve) =>
              holder.exitCode === null && holder.signalCode === null
                ? holder.once('exit', resolve)
                : resolve(undefined),
            ),
        ),
      )
      rmSync(scratch, { recursive: true, force: true })
    },
  }
  return lab
}
