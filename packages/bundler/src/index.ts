export { bundleModule, type BundleOptions, type BundleResult } from './bundle-module.ts'
export { BundleError, BundleWriteError } from './errors.ts'
export { BUNDLE_FILENAME } from './constants.ts'
