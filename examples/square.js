'use strict'
// Squares a number after a 1 s delay, in the original Pando's module form: the function under the
// '/pando/1.0.0' key takes the item (a string) and a callback, and calls back with the result.
//   pando examples/square.js --local 1 2 3

module.exports['/pando/1.0.0'] = function (x, cb) {
  setTimeout(function () {
    const n = JSON.parse(x)
    cb(null, JSON.stringify(n * n))
  }, 1000)
}
