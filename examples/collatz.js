'use strict'
// Counts the steps of the Collatz sequence (n → n/2 when n is even, 3n+1 when odd) from an integer of any
// size down to 1, with the bignumber.js package (this module's own npm dependency, see package.json).
//   pando examples/collatz.js --local 27 3179389980591125407167

const BigNumber = require('bignumber.js')

const ONE = new BigNumber(1)
const TWO = new BigNumber(2)
const THREE = new BigNumber(3)

function collatzSteps(n) {
  let steps = 0
  while (!n.isEqualTo(ONE)) {
    n = n.modulo(TWO).isZero() ? n.dividedToIntegerBy(TWO) : n.times(THREE).plus(ONE)
    steps++
  }
  return steps
}

module.exports['/pando/1.0.0'] = function (x, cb) {
  if (!/^[0-9]+$/.test(x) || /^0+$/.test(x)) {
    cb(new RangeError('not a positive integer: ' + x))
    return
  }
  cb(null, String(collatzSteps(new BigNumber(x))))
}
