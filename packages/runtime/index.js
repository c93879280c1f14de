'use strict'
// The module a processing module gets from `require('pando-computing')` (or `import … from`), in a
// volunteer's Worker and in `pando --local`. It holds no state: report() hands its figures to the host that
// runs the module, through a hook the host installs on the global object. With no host it does nothing.

exports.version = require('./package.json').version

/**
 * Reports application-level figures for the monitoring (as in the original Pando).
 * @param {{ cpuTime?: number, dataTransferTime?: number, nbItems?: number, units?: string }} figures
 */
exports.report = function report(figures) {
  const hook = globalThis.__pandoReport
  if (typeof hook === 'function') hook(figures === undefined ? {} : figures)
}
