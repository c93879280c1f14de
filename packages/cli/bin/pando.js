#!/usr/bin/env -S node --max-semi-space-size=1
// The `pando` executable. It loads the compiled CLI, so the npm bin link exists before the first build;
// run `npm run build` at the repository root to create ../dist.
// --max-semi-space-size=1: V8's young generation grows to 48 MB under pando's allocation rate (hundreds of
// thousands of short-lived items a second), all of it resident; 1 MB semi-spaces keep the root's memory
// 50 MB lower at no measurable cost in speed (bench/README.md, memory). `node bin/pando.js` skips it.
import '../dist/bin.js'
