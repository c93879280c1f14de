// The `pando` command: understands the command line, then hands over to `run.ts`.
import { isatty } from 'node:tty'
import { readCommandConfig } from './config-file.ts'
import { exitWithError, printMessage } from './exit.ts'
import { packageVersion } from './package-version.ts'
import { parseArguments, type Command } from './parse-arguments.ts'
import { execute } from './run.ts'

let command: Command | undefined
try {
  const args = process.argv.slice(2)
  const config = readCommandConfig(args, printMessage)
  command = await parseArguments(args, {
    config,
    env: process.env,
    version: packageVersion(),
    stdinIsTerminal: isatty(0),
  })
} catch (error) {
  exitWithError(error)
}
if (command !== undefined) await execute(command)
