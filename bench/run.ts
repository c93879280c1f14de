// `npm run bench`: pando's benchmarks (issue 7), through the real CLI and real Chromium tabs. See README.md.
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join, resolve } from 'node:path'
import { ROOT } from '../harness/pando-process.ts'
import { type BenchContext, type TransportCheck, TRANSPORT_NAMES } from './context.ts'
import { describeMachine, describeVersions } from './machine.ts'
import {
  FULL_SIZES,
  OptionsError,
  QUICK_SIZES,
  USAGE,
  parseOptions,
  type BenchOptions,
  type ForcedTransport,
  type ScenarioName,
} from './options.ts'
import { formatScenario, formatTargets } from './report.ts'
import { errorMessage, type ScenarioResult } from './result.ts'
import { far } from './scenarios/far.ts'
import { journal } from './scenarios/journal.ts'
import { join as joinScenario } from './scenarios/join.ts'
import { memory } from './scenarios/memory.ts'
import { networks } from './scenarios/networks.ts'
import { overhead } from './scenarios/overhead.ts'
import { recovery } from './scenarios/recovery.ts'
import { scaling } from './scenarios/scaling.ts'
import { spread } from './scenarios/spread.ts'
import { replicas } from './scenarios/replicas.ts'
import { workers } from './scenarios/workers.ts'
import { launchTabs, type Tabs } from './tabs.ts'
import { checkTransport } from './transports.ts'

const RUNNERS: Record<ScenarioName, (context: BenchContext) => Promise<ScenarioResult>> = {
  overhead,
  scaling,
  workers,
  far,
  join: joinScenario,
  recovery,
  memory,
  journal,
  spread,
  replicas,
  networks,
}

const log = (message: string): void => {
  process.stderr.write(`bench: ${message}\n`)
}

/** `2026-11-21T22-40-05Z`: sorts by time and is a valid file name everywhere. */
const fileStamp = (date: Date): string =>
  date
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-')

async function main(options: BenchOptions): Promise<string> {
  const startedAt = new Date()
  const machine = describeMachine()
  log(`${machine.cores} cores, load average ${machine.loadAverage.join(' ')}`)
  let tabs: Tabs | undefined
  const sharedTabs = async (): Promise<Tabs> => (tabs ??= await launchTabs())
  const results: ScenarioResult[] = []
  const transportChecks: Partial<Record<ForcedTransport, TransportCheck>> = {}
  try {
    for (const transport of options.transports) {
      transportChecks[transport] = await checkTransport(await sharedTabs(), transport).catch(
        (error: unknown) => ({ available: false, reason: errorMessage(error) }),
      )
      const check = transportChecks[transport]
      log(`${TRANSPORT_NAMES[transport]}: ${check.available ? 'available' : `n/a (${check.reason ?? '?'})`}`)
    }
    const transports = options.transports.filter(
      (transport) => transportChecks[transport]?.available === true,
    )
    const context: BenchContext = {
      options,
      sizes: options.quick ? QUICK_SIZES : FULL_SIZES,
      tabs: sharedTabs,
      transports,
      preferred: transports.includes('webrtc') ? 'webrtc' : 'websocket',
      log,
    }
    for (const name of options.only) {
      log(`${name}…`)
      let result: ScenarioResult
      try {
        result = await RUNNERS[name](context)
      } catch (error) {
        result = { name, measures: '', columns: [], rows: [], notes: [], error: errorMessage(error) }
      }
      results.push(result)
      process.stdout.write(`\n${formatScenario(result)}`)
    }
  } finally {
    await tabs?.close()
  }
  process.stdout.write(`\n${formatTargets(results)}`)

  const finishedAt = new Date()
  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    machine: { ...machine, loadAverageAtEnd: os.loadavg().map((load) => Math.round(load * 100) / 100) },
    versions: describeVersions(tabs?.chromiumVersion),
    options: { ...options, sizes: options.quick ? QUICK_SIZES : FULL_SIZES },
    transports: transportChecks,
    scenarios: Object.fromEntries(results.map((result) => [result.name, result])),
  }
  const directory = resolve(ROOT, options.out)
  mkdirSync(directory, { recursive: true })
  const file = join(directory, `${fileStamp(startedAt)}.json`)
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
  return file
}

let options: BenchOptions | undefined
try {
  options = parseOptions(process.argv.slice(2))
} catch (error) {
  process.stderr.write(`bench: ${errorMessage(error)}\n\n${USAGE}`)
  process.exit(2)
}
if (options === undefined) {
  process.stdout.write(USAGE)
} else {
  try {
    const file = await main(options)
    log(`figures written to ${file}`)
  } catch (error) {
    log(`failed: ${error instanceof OptionsError ? error.message : errorMessage(error)}`)
    process.exitCode = 1
  }
}
// Once the figures are written, the bench is done: a handle a scenario left open (a socket of a run it
// stopped, a sampler's timer) must not keep it waiting, as it once did for minutes after a full run.
process.exit()
