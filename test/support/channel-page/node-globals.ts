// What simple-peer expects of Node in the page (`Buffer`, `process`), injected by esbuild where the bundled
// code names them, as the volunteer page's webpack configuration provides them.
// @ts-expect-error -- the `process` package's browser build has no types; only its `nextTick` and `env` are used
import browserProcess from 'process/browser.js'

export { Buffer } from 'buffer'
export const process: unknown = browserProcess
