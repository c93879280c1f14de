'use strict'
// Squares a number at once (original form): for throughput tests.
//   seq 0 99999 | pando examples/square-no-delay.js --stdin --local

module.exports['/pando/1.0.0'] = function (x, cb) {
  const n = JSON.parse(x)
  cb(null, JSON.stringify(n * n))
}
