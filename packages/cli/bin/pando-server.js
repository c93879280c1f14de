#!/usr/bin/env node
// The `pando-server` executable. It loads the compiled CLI, so the npm bin link exists before the first
// build; run `npm run build` at the repository root to create ../dist.
import '../dist/server-bin.js'
