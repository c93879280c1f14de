import { createRequire } from 'node:module'
import path from 'node:path'
import { WORKER_MODULE_GLOBAL } from '@pando/protocol'
import webpack from 'webpack'
import type { Configuration } from 'webpack'
import { BUNDLE_FILENAME, VIRTUAL_SCHEME } from './constants.ts'

const require = createRequire(import.meta.url)

/** Resolved once: where `require('pando-computing')` (the runtime package) and the Node polyfills come from. */
const paths = {
  runtime: path.dirname(require.resolve('@pando/runtime/package.json')),
  buffer: require.resolve('buffer/'),
  events: require.resolve('events/'),
  process: require.resolve('process/browser.js'),
  esbuildLoader: require.resolve('esbuild-loader'),
}

/**
 * The generated entry: load the user's module and hand its namespace to the Worker. It is strict ESM (`.mjs`),
 * so a CommonJS module's namespace is `{ default: module.exports }`, as `import()` gives in Node; webpack's
 * looser interop would hand over a function export as the namespace itself. The import is relative to the
 * module's directory, so the bundle does not spell out the caller's absolute paths.
 */
function entryModule(modulePath: string): { source: () => string; context: string; type: string } {
  const source = [
    `import * as namespace from ${JSON.stringify(`./${path.basename(modulePath)}`)}`,
    `self[${JSON.stringify(WORKER_MODULE_GLOBAL)}] = namespace`,
    '',
  ].join('\n')
  return { source: () => source, context: path.dirname(modulePath), type: '.mjs' }
}

/**
 * The webpack configuration for one user module. Speed matters more than size here (the bundle is built at
 * every `pando` start and served over a local network), so nothing is minified and no source map is made.
 */
export function createBundleConfig(options: { modulePath: string; outDir: string }): Configuration {
  const { modulePath, outDir } = options
  return {
    mode: 'none',
    target: 'webworker',
    context: path.dirname(modulePath),
    entry: `${VIRTUAL_SCHEME}:entry`,
    devtool: false,
    cache: false,
    output: {
      path: outDir,
      filename: BUNDLE_FILENAME,
      iife: true,
      globalObject: 'self',
      uniqueName: 'pandoModule',
      clean: false,
    },
    resolve: {
      // Dependencies resolve from the module's own directory upwards (webpack's default), so a module next to
      // its node_modules works wherever it lives.
      extensions: ['.js', '.cjs', '.mjs', '.json', '.ts', '.mts', '.cts'],
      alias: { 'pando-computing$': paths.runtime },
      fallback: { buffer: paths.buffer, events: paths.events, process: paths.process },
    },
    module: {
      rules: [
        { test: /\.[cm]?ts$/, loader: paths.esbuildLoader, options: { loader: 'ts', target: 'es2022' } },
      ],
    },
    plugins: [
      new webpack.experiments.schemes.VirtualUrlPlugin({ entry: entryModule(modulePath) }, VIRTUAL_SCHEME),
      // `node:buffer` → `buffer`, so the fallbacks above apply to prefixed imports too.
      new webpack.NormalModuleReplacementPlugin(/^node:/, (resource: { request: string }) => {
        resource.request = resource.request.slice('node:'.length)
      }),
      // Only modules that mention `Buffer` or `process` get the polyfill.
      new webpack.ProvidePlugin({ Buffer: [paths.buffer, 'Buffer'], process: paths.process }),
      new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 }),
    ],
    optimization: {
      minimize: false,
      splitChunks: false,
      runtimeChunk: false,
      nodeEnv: 'production',
      emitOnErrors: false,
    },
    performance: { hints: false },
    infrastructureLogging: { level: 'none' },
    stats: 'none',
  }
}
