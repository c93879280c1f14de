'use strict'
// What `require('pando-computing')` gives a processing module: the runtime API (`report()`, `version`), as
// in the original Pando. `pando` itself resolves that name to `@pando/runtime` for the modules it runs;
// this file serves a module loaded by something else.
module.exports = require('@pando/runtime')
