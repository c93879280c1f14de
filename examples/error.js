'use strict'
// Fails on every multiple of 7 and squares the other numbers (original form): shows how pando reports an
// item the function keeps failing on (after --retries more attempts, with exit status 1).
//   pando examples/error.js --local 5 6 7 8

module.exports['/pando/1.0.0'] = function (x, cb) {
  const n = Number(x)
  if (n % 7 === 0) {
    cb(new Error(x + ' is a multiple of 7'))
    return
  }
  cb(null, String(n * n))
}
