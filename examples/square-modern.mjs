// Squares a number in the modern form: an ES module whose default export is an async function of one item,
// returning the result. Items are strings; a number result is written with String().
//   pando examples/square-modern.mjs --local 1 2 3

export default async function square(x) {
  const n = Number(x)
  if (!Number.isFinite(n)) throw new TypeError(`not a number: ${x}`)
  return n * n
}
