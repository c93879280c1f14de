// The `pando` command: understands the command line, then hands over to `run.ts`.
import { homedir } from 'node:os'
import { isatty } from 'node:tty'
import { readConfigFile } from './config-file.ts'
import { exitWithError } from './exit.ts'
import { packageVersion } from './package-version.ts'
import { parseArguments, type Command } from './parse-arguments.ts'
import { withEnvironmentSecret } from './remote-options.ts'
import { execute } from './run.ts'

let command: Command | undefined
try {
  command = await parseArguments(process.argv.slice(2), {
    config: withEnvironmentSecret(readConfigFile(homedir()), process.env),
    version: packageVersion(),
    stdinIsTerminal: isatty(0),
  })
} catch (error) {
  exitWithError(error)
}
if (command !== undefined) await execute(command)
