#!/usr/bin/env node
// The `pando-server` executable. It loads the compiled CLI (`@pando/cli`), so the npm bin link exists
// before the first build; in a clone, run `npm run build` at the repository root to compile it.
import '@pando/cli/server-bin'
