#!/usr/bin/env node
// `node scripts/vendor.mjs` (prepack): builds the workspace, then copies the internal packages this package
// depends on into its own node_modules, as npm's bundleDependencies need them (npm does not bundle the
// workspace's symbolic links). `node scripts/vendor.mjs --clean` (postpack) removes the copies.
//
// Each copy is what the internal package's `files` list, less source maps (they point at sources the package
// does not carry) and build caches. The repository's LICENSE is copied beside the manifest. Each copy's
// manifest keeps no dependencies: the internal ones are bundled beside it, and this package lists the npm
// ones (the manifest test checks that it lists them all).
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import {
  INTERNAL_SCOPE,
  PACKAGE_DIR,
  REPOSITORY_ROOT,
  internalClosure,
  readManifest,
} from './internal-packages.mjs'

const VENDOR_DIR = path.join(PACKAGE_DIR, 'node_modules', INTERNAL_SCOPE.slice(0, -1))
/** Manifest fields a copy keeps: what Node needs to load it, and what says what it is. */
const KEPT_FIELDS = ['name', 'version', 'description', 'type', 'license', 'main', 'exports']
const SOURCE_MAP_COMMENT = /\n\/\/# sourceMappingURL=\S+\s*$/

const LICENSE = 'LICENSE'

function isDevelopmentOnly(file) {
  return /\.(map|tsbuildinfo)$/.test(file)
}

/** Copies `from` (a file or a directory) to `to`, leaving out development files and source map comments. */
function copyForRunTime(from, to) {
  cpSync(from, to, { recursive: true, filter: (source) => !isDevelopmentOnly(source) })
  execFileSync('find', [to, '-type', 'f', '(', '-name', '*.js', '-o', '-name', '*.ts', ')'], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter((file) => file !== '')
    .forEach((file) => {
      const text = readFileSync(file, 'utf8')
      if (SOURCE_MAP_COMMENT.test(text)) writeFileSync(file, text.replace(SOURCE_MAP_COMMENT, '\n'))
    })
}

function vendor(name, dir) {
  const manifest = readManifest(dir)
  const target = path.join(VENDOR_DIR, name.slice(INTERNAL_SCOPE.length))
  mkdirSync(target, { recursive: true })
  for (const entry of manifest.files ?? []) copyForRunTime(path.join(dir, entry), path.join(target, entry))
  const kept = Object.fromEntries(
    KEPT_FIELDS.filter((field) => field in manifest).map((f) => [f, manifest[f]]),
  )
  writeFileSync(path.join(target, 'package.json'), `${JSON.stringify(kept, null, 2)}\n`)
}

function clean() {
  rmSync(VENDOR_DIR, { recursive: true, force: true })
  rmSync(path.join(PACKAGE_DIR, LICENSE), { force: true })
  // The workspace keeps its dependencies at the repository's root: this directory held only the copies.
  rmSync(path.dirname(VENDOR_DIR), { recursive: true, force: true })
}

if (process.argv.includes('--clean')) {
  clean()
} else {
  execFileSync('npm', ['run', 'build'], { cwd: REPOSITORY_ROOT, stdio: ['ignore', 'inherit', 'inherit'] })
  clean()
  for (const [name, dir] of internalClosure(readManifest(PACKAGE_DIR))) vendor(name, dir)
  cpSync(path.join(REPOSITORY_ROOT, LICENSE), path.join(PACKAGE_DIR, LICENSE))
}
