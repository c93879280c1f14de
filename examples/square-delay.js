'use strict'
// Squares a number after SQUARE_DELAY_MS milliseconds (default 10; original form): a slow function whose
// pace the tests can choose.
//   SQUARE_DELAY_MS=200 pando examples/square-delay.js --local 1 2 3

const DEFAULT_DELAY_MS = 10
const delay = Number(process.env.SQUARE_DELAY_MS ?? DEFAULT_DELAY_MS)

module.exports['/pando/1.0.0'] = function (x, cb) {
  setTimeout(function () {
    const n = JSON.parse(x)
    cb(null, JSON.stringify(n * n))
  }, delay)
}
