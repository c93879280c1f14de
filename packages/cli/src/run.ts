import { EXIT_FAILED, EXIT_HANGUP, EXIT_INTERRUPTED, EXIT_OK, EXIT_TERMINATED } from './constants.ts'
import { exitAfterFlush, shutdownAndExit } from './shutdown.ts'
import { exitWithError, printMessage } from './exit.ts'
import { haltedMessage, type Halted } from './halt-policy.ts'
import { isUsageError } from './errors.ts'
import { itemFailureMessage } from './item-label.ts'
import type { ResultOptions } from './journal/journal-records.ts'
import { recordsAnything } from './journal/record-options.ts'
import { openRunRecord } from './journal/run-record.ts'
import { checkModuleForWorkers, loadProcessFunction } from './load-module.ts'
import type { RunEnding } from './item-channel.ts'
import type { PolicyChannel } from './error-policy.ts'
import type { Command, RunOptions } from './parse-arguments.ts'
import { runLocal } from './run-local.ts'
import { createRunChannel } from './run-channel.ts'
import type { NetworkedRun } from './run-networked.ts'
import { installRuntimeModuleResolution } from './runtime-module.ts'

/**
 * The composition root: does what the command line asked, then exits the process with the status that says
 * how it went (see `constants.ts`).
 */
export async function execute(command: Command): Promise<void> {
  handleClosedOutputs()
  switch (command.kind) {
    case 'help':
    case 'version':
      process.stdout.write(`${command.text}\n`)
      exitAfterFlush(EXIT_OK)
      return
    case 'run':
      try {
        await run(command.options)
      } catch (error) {
        exitWithError(error)
      }
  }
}

/** Said when no item can come from anywhere: the run then ends at once, with status 0. */
const NO_ITEMS_HINT =
  'no items: give them as ITEMS, with --arg-file FILE, or on standard input (a pipe, or --stdin to type them)'

async function run(options: RunOptions): Promise<void> {
  if (options.dryRun) {
    const { describeDryRun } = await import('./dry-run.ts')
    globalThis.process.stdout.write(describeDryRun(options, globalThis.process.cwd()))
    exitAfterFlush(EXIT_OK)
    return
  }
  if (options.items.length === 0 && !options.stdin && options.argFile === undefined) {
    // Standard input is a terminal (a pipe would have been read), or --no-stdin: say where items come from.
    printMessage(NO_ITEMS_HINT)
  }
  installProcessHandlers()
  installRuntimeModuleResolution()
  const cwd = globalThis.process.cwd()
  // The function runs here with --local and --no-start-idle; otherwise only the volunteers' Workers run it.
  // It is also the judge of the spot checks.
  const computesHere = options.local || !options.startIdle || options.spotCheck > 0
  const process = computesHere
    ? await loadProcessFunction(options.module, cwd)
    : await checkModuleForWorkers(options.module, cwd)
  const record = recordsAnything(options.record)
    ? openRunRecord(
        options.record,
        resultOptions(options),
        options.argFile !== undefined ? 'file' : options.stdin ? 'stdin' : 'arguments',
      )
    : undefined
  const { channel, halt } = createRunChannel(options, record)
  const ending =
    options.local && process !== undefined
      ? await runLocal(process, channel, options)
      : await runNetworkedLazily({ options, channel, ...(process === undefined ? {} : { process }) })
  await record?.finish()
  exitWithEnding(ending, channel, halt?.halted(), options)
}

/**
 * `runNetworked`, loaded only now: the server, the WebRTC stack and the bundler take most of a start's time to
 * load, which `--local`, `--help` and `--version` do not need.
 */
async function runNetworkedLazily(run: NetworkedRun): Promise<RunEnding> {
  const { runNetworked } = await import('./run-networked.ts')
  return runNetworked(run)
}

/** Ends the process with the status that says how the run ended, and a message when it is not 0. */
function exitWithEnding(
  ending: RunEnding,
  channel: PolicyChannel,
  halted: Halted | undefined,
  options: RunOptions,
): void {
  switch (ending.kind) {
    case 'done':
      if (halted !== undefined) {
        exitHalted(halted, channel.failures())
        return
      }
      if (channel.failures() > 0) {
        printMessage(failuresMessage(channel.failures(), options))
        exitAfterFlush(EXIT_FAILED)
        return
      }
      exitAfterFlush(EXIT_OK)
      return
    case 'failed':
      printMessage(itemFailureMessage(channel.origin, ending.item))
      exitAfterFlush(EXIT_FAILED)
      return
    case 'broken':
      // The input differs from the journaled one: refused as a usage error.
      if (isUsageError(ending.error)) throw ending.error
      printMessage(`cannot read the items: ${ending.error.message}`)
      exitAfterFlush(EXIT_FAILED)
  }
}

/** The summary of the items `--on-error skip` or `mark` let through, at the end of a run. */
function failuresMessage(failures: number, options: RunOptions): string {
  const what = failures === 1 ? 'item failed and was' : 'items failed and were'
  const how = options.onError === 'skip' ? 'skipped' : `marked ${JSON.stringify(options.errorMarker)}`
  return `${failures} ${what} ${how} (--on-error ${options.onError}): every other result was written`
}

/**
 * A run stopped by `--halt`: status 1 when items failed (a fail condition, or failures before a success
 * one), 0 otherwise.
 */
function exitHalted(halted: Halted, failures: number): void {
  printMessage(haltedMessage(halted))
  exitAfterFlush(failures > 0 ? EXIT_FAILED : EXIT_OK)
}

/** The options that change what the run writes, which a journal's resume must keep. */
function resultOptions(options: RunOptions): ResultOptions {
  return {
    onError: options.onError,
    errorMarker: options.errorMarker,
    // Written only when set, so that the journals of earlier runs (without them) still fit.
    ...(options.recordSeparator === '\0' ? { null: true } : {}),
    ...(options.tag ? { tag: true } : {}),
  }
}

/**
 * - Ctrl-C (SIGINT), SIGTERM and SIGHUP stop at once, with status 130, 143 and 129: the results stop at a
 *   line boundary, volunteers are closed cleanly and the run's files removed first.
 * - An exception thrown outside the function (by a timer of the module, say) cannot be tied to an item: it
 *   stops the run with status 1.
 */
function installProcessHandlers(): void {
  process.once('SIGINT', () => shutdownAndExit(EXIT_INTERRUPTED))
  process.once('SIGTERM', () => shutdownAndExit(EXIT_TERMINATED))
  process.once('SIGHUP', () => shutdownAndExit(EXIT_HANGUP))
  process.on('uncaughtException', (error) => {
    printMessage(
      `uncaught error, most likely thrown by the module outside its function: ${error.stack ?? String(error)}`,
    )
    shutdownAndExit(EXIT_FAILED)
  })
}

/**
 * A reader that closes stdout early (`pando … | head -3`) is no error: the run stops as for a signal, quietly,
 * with status 0. So is one that closes stderr (`pando … 2>&1 | head -1`): the messages' reader has gone, as
 * a tool killed by SIGPIPE would see it, and the run stops with status 0 too. Any other failure to write
 * stderr is ignored (the results matter more than the messages); one to write stdout stops the run with
 * status 1.
 */
function handleClosedOutputs(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') return shutdownAndExit(EXIT_OK)
    printMessage(`cannot write the results to standard output: ${error.message}`)
    shutdownAndExit(EXIT_FAILED)
  })
  process.stderr.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') shutdownAndExit(EXIT_OK)
  })
}
