'use strict'
// The `process` the volunteer page's Node-style dependencies get from webpack (simple-peer's streams use
// `process.nextTick` at every write and read of a data channel): the `process` package's, but with
// `nextTick` on the microtask queue, as in Node, where the package puts it on a `setTimeout(0)`. A timer is
// a task of its own: with 2 Workers on 10 ms items the page ran about 75 of them a second, each one a
// wake-up of the page's main thread taken from the Workers' cores (README, Performance).
const browserProcess = require('process/browser.js')

browserProcess.nextTick = (callback, ...args) => queueMicrotask(() => callback(...args))

module.exports = browserProcess
