'use strict'
// Sums the digits of a number and reports its work for the monitoring with pando-computing's report(), as
// the original Pando's modules do. pando makes require('pando-computing') work wherever this file lives.
//   pando examples/report.js --local 12345 999

const pando = require('pando-computing')

module.exports['/pando/1.0.0'] = function (x, cb) {
  const start = Date.now()
  let sum = 0
  for (const digit of x) sum += Number(digit)
  pando.report({ cpuTime: Date.now() - start, nbItems: 1, units: 'numbers' })
  cb(null, String(sum))
}
