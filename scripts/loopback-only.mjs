#!/usr/bin/env node
// Runs a command inside a network namespace that has only the loopback interface, so that every WebRTC
// connection the tests open stays on 127.0.0.1 (Chromium would otherwise offer the machine's other
// addresses as ICE candidates). Already in such a namespace, it runs the command as it is.
//
//   node scripts/loopback-only.mjs vitest run
import { spawn } from 'node:child_process'
import os from 'node:os'

const command = process.argv.slice(2)
if (command.length === 0) {
  console.error('usage: node scripts/loopback-only.mjs COMMAND [ARGS…]')
  process.exit(2)
}

const loopbackOnly = Object.values(os.networkInterfaces()).every((addresses) =>
  (addresses ?? []).every((address) => address.internal),
)

// As root `unshare -n` suffices; otherwise map ourselves to root in a new user namespace (-r).
const unshareFlags = process.getuid?.() === 0 ? ['-n'] : ['-r', '-n']
const [file, args] = loopbackOnly
  ? [command[0], command.slice(1)]
  : ['unshare', [...unshareFlags, 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...command]]

const child = spawn(file, args, { stdio: 'inherit' })
child.on('error', (error) => {
  console.error(`loopback-only: cannot start ${file}: ${error.message}`)
  if (file === 'unshare') console.error('loopback-only: install util-linux and iproute2, and run as root.')
  process.exit(2)
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) =>
  process.exit(code ?? (signal === null ? 1 : 128 + os.constants.signals[signal])),
)
