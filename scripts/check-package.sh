#!/usr/bin/env bash
# Proves that the published package works on its own (`npm run check:package`, and in CI): packs
# pando-computing, installs the tarball into a temporary prefix as a user would (npm fetches the npm
# packages it lists; nothing of this repository is used), then, from an unrelated directory, runs a --local
# job, a --volunteers 1 job (in a loopback-only network namespace) and a module that requires an npm package
# installed beside it and pando-computing's report().
set -euo pipefail
cd "$(dirname "$0")/.."
repository=$PWD
work=$(mktemp -d "${TMPDIR:-/tmp}/pando-package-XXXXXX")
trap 'rm -rf "$work"' EXIT

step() { echo "check-package: $*"; }
expect_output() { # NAME EXPECTED ACTUAL
  if [ "$2" != "$3" ]; then
    printf 'check-package: %s printed\n%s\ninstead of\n%s\n' "$1" "$3" "$2" >&2
    exit 1
  fi
}

step "packing pando-computing…"
npm pack --workspace pando-computing --pack-destination "$work" >"$work/pack.log" 2>&1 || {
  cat "$work/pack.log" >&2
  exit 1
}
tarball=$(ls "$work"/pando-computing-*.tgz)
if tar tzf "$tarball" | grep -q '\.map$'; then
  echo "check-package: the tarball ships source maps" >&2
  exit 1
fi

step "installing $(basename "$tarball") into a temporary prefix…"
npm install --global --prefix "$work/prefix" "$tarball" --no-audit --no-fund --loglevel=error
pando=$work/prefix/bin/pando

project=$work/elsewhere
mkdir -p "$project/node_modules/zero-pad"
cd "$project"
cat >square.js <<'MODULE'
module.exports['/pando/1.0.0'] = function (x, cb) {
  cb(null, String(x * x))
}
MODULE
cat >node_modules/zero-pad/package.json <<'MODULE'
{ "name": "zero-pad", "version": "1.0.0", "main": "index.js" }
MODULE
cat >node_modules/zero-pad/index.js <<'MODULE'
module.exports = (value, width) => String(value).padStart(width, '0')
MODULE
cat >padded.js <<'MODULE'
const pad = require('zero-pad')
const pando = require('pando-computing')
module.exports['/pando/1.0.0'] = function (x, cb) {
  pando.report({ nbItems: 1 })
  cb(null, pad(x, 4))
}
MODULE

step "pando --version, and a --local job"
expect_output "pando --version" "$(node -p "require('$repository/packages/pando-computing/package.json').version")" "$("$pando" --version)"
expect_output "the --local job" "$(printf '1\n4\n9')" "$(printf '1\n2\n3\n' | "$pando" square.js --stdin --local)"

step "a --volunteers 1 job, in a loopback-only network namespace, twice: the second from the cache of bundles"
export XDG_CACHE_HOME=$work/cache
for run in first second; do
  expect_output "the $run --volunteers job" "$(printf '0007\n0042')" \
    "$(node "$repository/scripts/loopback-only.mjs" "$pando" padded.js --volunteers 1 --quiet 7 42)"
done
expect_output "the cache of bundles" "2" "$(ls "$XDG_CACHE_HOME/pando/bundles" | wc -l)"

step "a module with an npm dependency, --local"
expect_output "the module with a dependency" "$(printf '0007\n0042')" "$("$pando" padded.js --local 7 42)"

step "pando-server --help"
"$work/prefix/bin/pando-server" --help >/dev/null

step "ok: the tarball installs and runs on its own"
