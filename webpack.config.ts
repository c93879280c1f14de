// Builds the browser pages. Run with `webpack --config webpack.config.ts` (webpack-cli loads this file with
// tsx). Each page is one entry of the list; the user's module is bundled separately, at run time, by
// `@pando/bundler`.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import webpack from 'webpack'
import type { Compiler, Configuration } from 'webpack'

const require = createRequire(import.meta.url)
const root = import.meta.dirname

/** Where the sources of an internal package are, so pages build without `tsc -b` having run first. */
const source = (name: string): string => path.join(root, 'packages', name, 'src', 'index.ts')

/** The pages' icon, one file for both: each page's `dist` gets a copy, beside its `index.html`. */
const FAVICON = path.join(root, 'assets', 'favicon.svg')

/**
 * Emits `index.html` from a template, replacing its `<!-- scripts -->` comment by the entry's scripts, whose
 * names carry a content hash (so a new build is never mixed with a cached old one), and the pages' icon
 * (`favicon.svg`, see {@link FAVICON}).
 */
class HtmlPagePlugin {
  readonly #template: string

  constructor(template: string) {
    this.#template = template
  }

  apply(compiler: Compiler): void {
    const { RawSource } = compiler.webpack.sources
    compiler.hooks.thisCompilation.tap('HtmlPagePlugin', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'HtmlPagePlugin', stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_SUMMARIZE },
        () => {
          compilation.fileDependencies.add(this.#template)
          const scripts = [...compilation.entrypoints.values()]
            .flatMap((entrypoint) => [...entrypoint.getFiles()])
            .filter((file) => file.endsWith('.js'))
            .map((file) => `<script defer src="${file}"></script>`)
            .join('\n    ')
          const html = readFileSync(this.#template, 'utf8').replace('<!-- scripts -->', scripts)
          compilation.emitAsset('index.html', new RawSource(html))
          compilation.fileDependencies.add(FAVICON)
          compilation.emitAsset('favicon.svg', new RawSource(readFileSync(FAVICON)))
        },
      )
    })
  }
}

/** Options of `createVolunteerConfig` and `createDashboardConfig`. */
export interface PageConfigOptions {
  /** Output directory. @default packages/<page>/dist */
  outDir?: string
  /** @default 'production' */
  mode?: 'production' | 'development'
}

/** What differs from one page to the other. */
interface PageSpec {
  readonly name: 'volunteer' | 'dashboard'
  /** Internal packages bundled from their sources. */
  readonly sources: readonly string[]
  readonly resolve?: Configuration['resolve']
  readonly rules?: NonNullable<Configuration['module']>['rules']
  readonly plugins?: Configuration['plugins']
}

/** One page: `index.html` from its template, and its scripts with content-hashed names and relative URLs. */
function pageConfig(spec: PageSpec, options: PageConfigOptions): Configuration {
  const pageRoot = path.join(root, 'packages', spec.name)
  const mode = options.mode ?? 'production'
  return {
    name: spec.name,
    mode,
    target: 'web',
    context: pageRoot,
    entry: { main: './src/main.ts' },
    devtool: mode === 'production' ? false : 'source-map',
    output: {
      path: options.outDir ?? path.join(pageRoot, 'dist'),
      filename: '[name].[contenthash:8].js',
      chunkFilename: '[name].[contenthash:8].js',
      // Relative URLs, so the page also works when served under a sub-path (the dashboard at /monitor/).
      publicPath: 'auto',
      clean: true,
    },
    resolve: {
      extensions: ['.ts', '.js'],
      alias: Object.fromEntries(spec.sources.map((name) => [`@pando/${name}$`, source(name)])),
      ...spec.resolve,
    },
    module: {
      rules: [
        { test: /\.ts$/, loader: 'esbuild-loader', options: { loader: 'ts', target: 'es2022' } },
        ...(spec.rules ?? []),
      ],
    },
    plugins: [...(spec.plugins ?? []), new HtmlPagePlugin(path.join(pageRoot, 'src', 'index.html'))],
    performance: { hints: false },
  }
}

/** The `process` of the volunteer page's Node-style dependencies: `nextTick` on microtasks (see the file). */
const BROWSER_PROCESS = path.join(root, 'packages', 'volunteer', 'browser-process.cjs')

/** The volunteer page: `index.html`, the page script and the (classic) Worker script. */
export function createVolunteerConfig(options: PageConfigOptions = {}): Configuration {
  return pageConfig(
    {
      name: 'volunteer',
      sources: ['protocol', 'scheduler', 'overlay'],
      resolve: {
        // simple-peer is written for Node: it gets these in the browser (only modules that use them pay).
        fallback: {
          buffer: require.resolve('buffer/'),
          events: require.resolve('events/'),
          process: BROWSER_PROCESS,
        },
      },
      plugins: [new webpack.ProvidePlugin({ Buffer: ['buffer', 'Buffer'], process: BROWSER_PROCESS })],
    },
    options,
  )
}

/**
 * The dashboard: `index.html` and its script (uPlot and its style sheet included), served at `/monitor/`.
 * Its URLs are relative, so it works under any path that ends with a slash.
 */
export function createDashboardConfig(options: PageConfigOptions = {}): Configuration {
  return pageConfig(
    {
      name: 'dashboard',
      sources: ['protocol'],
      // Style sheets as text; the page adds them to its <head>.
      rules: [{ test: /\.css$/, type: 'asset/source' }],
    },
    options,
  )
}

export default [createVolunteerConfig(), createDashboardConfig()]
