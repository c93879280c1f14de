#!/usr/bin/env -S node --max-semi-space-size=1 --optimize-for-size
// The `pando` executable. It loads the compiled CLI (`@pando/cli`), so the npm bin link exists before the
// first build; in a clone, run `npm run build` at the repository root to compile it.
// Node's flags bound the root's memory under its allocation rate (hundreds of thousands of short-lived
// items a second), which V8 would otherwise let grow by some 100 MB before collecting: 1 MB semi-spaces
// (the young generation grows to 48 MB by default) and --optimize-for-size (the old generation collected
// early). Measured in the README (Performance); `node bin/pando.js` runs without them.
import '@pando/cli/bin'
