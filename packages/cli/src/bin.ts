// The `pando` command: understands the command line, then hands over to `run.ts`.
import { homedir } from 'node:os'
import { isatty } from 'node:tty'
import { givenConfigFile, ignoredConfigMessage, readConfigFile } from './config-file.ts'
import { exitWithError, printMessage } from './exit.ts'
import { packageVersion } from './package-version.ts'
import { parseArguments, type Command } from './parse-arguments.ts'
import { execute } from './run.ts'

let command: Command | undefined
try {
  const args = process.argv.slice(2)
  const given = givenConfigFile(args, process.env)
  const config = readConfigFile(homedir(), { env: process.env, ...(given === undefined ? {} : { given }) })
  const ignored = ignoredConfigMessage(config)
  if (ignored !== undefined) printMessage(ignored)
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
