/**
 * Name of the global through which a bundled processing module hands its exports to the volunteer's Worker.
 *
 * `@pando/bundler` builds the user's module into one classic Worker script that ends with
 * `self[WORKER_MODULE_GLOBAL] = namespace`, where `namespace` is what `import()` of the module gives in Node
 * (for CommonJS, `{ default: module.exports }`). The Worker loads that script with `importScripts` and passes
 * `self[WORKER_MODULE_GLOBAL]` to `resolveProcessFunction`. Both sides read this one constant, so the browser
 * code never imports the (Node-only) bundler.
 */
export const WORKER_MODULE_GLOBAL = 'pandoModule'

/**
 * The query parameter that carries a run's access token (`http://HOST:PORT/?token=…`): the pages read it from
 * their own URL and add it to every request they make (the run's files, the feeds and sockets); the server
 * refuses what comes without it (403), unless it was started `--open`.
 */
export const ACCESS_TOKEN_PARAMETER = 'token'
