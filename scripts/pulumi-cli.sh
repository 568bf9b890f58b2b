#!/usr/bin/env bash
# Prints the path of a directory that holds a usable `pulumi` CLI (plus the Node.js and YAML
# language hosts and the dynamic-provider plugin), building the pinned versions from Go modules
# when no suitable CLI is installed. Progress goes to stderr; only the directory goes to stdout.
#
# Order of preference:
#   1. $PULUMI_CLI_DIR, when set (must contain an executable `pulumi`);
#   2. `pulumi` on PATH whose version is at least $PULUMI_VERSION;
#   3. a cached build in $PULUMI_VOBIZ_CACHE (default ~/.cache/pulumi-vobiz)/pulumi-v$PULUMI_VERSION;
#   4. a fresh build of that version from the Go module proxy into that cache.
# The cached CLI directory also gets the YAML language host (pulumi-language-yaml
# v$PULUMI_YAML_VERSION, from the pulumi-yaml module), built on first use beside `pulumi`: the
# engine looks for language hosts next to the CLI first, and warns about one found elsewhere.#
# A build prints one progress line per step (and one every 30 s during a long step); everything
# the Go tool says (its list of downloads, compiler output) goes to a log file in the cache,
# whose last lines are shown when the build fails.
set -euo pipefail

PULUMI_VERSION="${PULUMI_VERSION:-3.259.0}"
# The Node.js language host module has no version tags; this commit is the one tagged
# v3.259.0 / sdk/v3.259.0 in the Pulumi repository.
LANGUAGE_HOST_COMMIT="${PULUMI_LANGUAGE_HOST_COMMIT:-0ac56e876614aedf12771d73ef7e80959b8a6fd4}"
# The YAML language host (github.com/pulumi/pulumi-yaml, tagged releases on the module proxy).
PULUMI_YAML_VERSION="${PULUMI_YAML_VERSION:-1.25.0}"
CACHE_ROOT="${PULUMI_VOBIZ_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-vobiz}"
CLI_DIR="$CACHE_ROOT/pulumi-v$PULUMI_VERSION"

BUILD_LOG="$CACHE_ROOT/pulumi-v$PULUMI_VERSION-build.log"

start=$(date +%s)
log() { printf '[pulumi-cli +%3ss] %s\n' "$(($(date +%s) - start))" "$*" >&2; }

# step DESCRIPTION DIR COMMAND...: runs COMMAND in DIR with its output appended to the build log,
# printing the description, then a line every 30 s while it runs; returns COMMAND's status.
step() {
  local what="$1" dir="$2" pid waited=0
  shift 2
  log "$what"
  printf '\n=== %s (in %s): %s\n' "$what" "$dir" "$*" >>"$BUILD_LOG"
  (cd "$dir" && "$@") >>"$BUILD_LOG" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    waited=$((waited + 1))
    if [ $((waited % 30)) -eq 0 ]; then
      log "  still $what (${waited}s; $(grep -c '^go: downloading' "$BUILD_LOG" || true) modules downloaded so far)"
    fi
  done
  wait "$pid"
}

# fail MESSAGE: says what failed, shows the end of the build log and where the whole log is.
fail() {
  log "$1"
  log "last 40 lines of the build log:"
  tail -n 40 "$BUILD_LOG" >&2
  log "full build log: $BUILD_LOG"
  exit 1
}

version_at_least() { # version_at_least HAVE WANT
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

# The dynamic-provider plugin: the engine looks for `pulumi-resource-pulumi-nodejs` beside the
# CLI or on PATH. It runs the entry point shipped in @pulumi/pulumi, resolved from the project
# the engine runs in (the engine starts plugins with the program's directory as cwd).
write_dynamic_plugin() {
  local dir="$1"
  cat >"$dir/pulumi-resource-pulumi-nodejs" <<'PLUGIN'
#!/usr/bin/env bash
# Pulumi dynamic-provider plugin host: runs @pulumi/pulumi's dynamic provider with node.
set -euo pipefail
entry=$(node -e 'process.stdout.write(require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [process.cwd()] }))')
exec node "$entry" "$@"
PLUGIN
  chmod +x "$dir/pulumi-resource-pulumi-nodejs"
}

usable() { # usable DIR: the dir has pulumi, the language host and the dynamic plugin
  [ -x "$1/pulumi" ] && [ -x "$1/pulumi-language-nodejs" ] && [ -x "$1/pulumi-resource-pulumi-nodejs" ]
}

# build_yaml_host OUTDIR: compiles pulumi-language-yaml v$PULUMI_YAML_VERSION into OUTDIR (from a
# throwaway module in its own work directory, so a cached CLI directory only ever gains the
# finished binary, moved in whole).
build_yaml_host() {
  local out="$1" dir
  dir=$(mktemp -d "$CACHE_ROOT/yaml-build.XXXXXX")
  printf 'module pulumivobiz.local/yamlbuild\n\ngo 1.24\n' >"$dir/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"\n' >"$dir/tools.go"
  step "resolving the YAML language host's modules (pulumi-yaml v$PULUMI_YAML_VERSION)" "$dir" \
    bash -c 'go get "github.com/pulumi/pulumi-yaml@v$1" && go mod tidy -e' _ "$PULUMI_YAML_VERSION" ||
    { rm -rf "$dir"; fail "resolving pulumi-yaml v$PULUMI_YAML_VERSION failed"; }
  step "compiling pulumi-language-yaml" "$dir" \
    go build -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$PULUMI_YAML_VERSION" \
    -o "$dir/pulumi-language-yaml" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml ||
    { rm -rf "$dir"; fail "compiling pulumi-language-yaml failed"; }
  mv "$dir/pulumi-language-yaml" "$out/pulumi-language-yaml"
  rm -rf "$dir"
}

# ensure_yaml_host DIR: DIR (the cached CLI) gets the YAML language host when it lacks one.
ensure_yaml_host() {
  [ -x "$1/pulumi-language-yaml" ] && return 0
  command -v go >/dev/null || { echo "The cached Pulumi CLI in $1 has no YAML language host and there is no Go toolchain to build one: install Go, or Pulumi >= $PULUMI_VERSION (which ships pulumi-language-yaml)." >&2; exit 1; }
  BUILD_LOG="$CACHE_ROOT/pulumi-language-yaml-v$PULUMI_YAML_VERSION-build.log"
  : >"$BUILD_LOG"
  log "building the YAML language host pulumi-language-yaml v$PULUMI_YAML_VERSION from Go modules into $1 (first time only; about two minutes)"
  log "the Go tool's output goes to $BUILD_LOG"
  export GOFLAGS="${GOFLAGS:-} -mod=mod"
  build_yaml_host "$1"
  log "done: $1/pulumi-language-yaml"
}

# note_missing_yaml_host DIR: a CLI chosen from outside the cache without a YAML host is used as
# it is; Pulumi YAML projects (examples/yaml, the YAML end-to-end tests) then cannot run.
note_missing_yaml_host() {
  if [ ! -x "$1/pulumi-language-yaml" ] && ! command -v pulumi-language-yaml >/dev/null 2>&1; then
    log "note: no pulumi-language-yaml beside $1/pulumi or on PATH; Pulumi YAML projects will not run (Pulumi's own releases ship it; or unset PULUMI_CLI_DIR to use the cached build)"
  fi
}

if [ -n "${PULUMI_CLI_DIR:-}" ]; then
  [ -x "$PULUMI_CLI_DIR/pulumi" ] || { echo "PULUMI_CLI_DIR=$PULUMI_CLI_DIR has no executable pulumi" >&2; exit 1; }
  note_missing_yaml_host "$PULUMI_CLI_DIR"
  printf '%s\n' "$PULUMI_CLI_DIR"
  exit 0
fi

if onpath=$(command -v pulumi 2>/dev/null); then
  have=$(pulumi version 2>/dev/null | sed 's/^v//' || true)
  if [ -n "$have" ] && version_at_least "$have" "$PULUMI_VERSION"; then
    note_missing_yaml_host "$(dirname "$onpath")"
    printf '%s\n' "$(dirname "$onpath")"
    exit 0
  fi
  log "pulumi on PATH is '${have:-unknown}', older than the pinned $PULUMI_VERSION; using a pinned build"
fi

if usable "$CLI_DIR"; then
  write_dynamic_plugin "$CLI_DIR" # cheap, and keeps the plugin in step with this script
  ensure_yaml_host "$CLI_DIR"
  printf '%s\n' "$CLI_DIR"
  exit 0
fi

command -v go >/dev/null || { echo "No suitable pulumi CLI and no Go toolchain to build one: install Pulumi >= $PULUMI_VERSION or Go." >&2; exit 1; }

mkdir -p "$CACHE_ROOT"
: >"$BUILD_LOG"
log "building Pulumi CLI v$PULUMI_VERSION from Go modules into $CLI_DIR (first time only; takes several minutes)"
log "the Go tool's output goes to $BUILD_LOG"
work=$(mktemp -d "$CACHE_ROOT/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
export GOFLAGS="${GOFLAGS:-} -mod=mod"

# The CLI. pkg/v3's own go.mod replaces the sdk with ../sdk and clipboard with a fork; replace
# directives of dependencies are ignored, so this throwaway module repeats the non-local ones.
mkdir -p "$work/cli"
cat >"$work/cli/go.mod" <<GOMOD
module pulumivobiz.local/clibuild

go 1.24

require (
	github.com/pulumi/pulumi/pkg/v3 v$PULUMI_VERSION
	github.com/pulumi/pulumi/sdk/v3 v$PULUMI_VERSION
)

replace (
	github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
	golang.org/x/text => golang.org/x/text v0.39.0
)
GOMOD
cat >"$work/cli/tools.go" <<'GO'
//go:build tools

package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
GO
step "resolving the CLI's modules" "$work/cli" go mod tidy -e || true # -e: the build reports what is missing
step "compiling pulumi (the long step)" "$work/cli" \
  go build -trimpath -ldflags "$ldflags" -o "$work/out/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi ||
  fail "compiling pulumi failed"

# The Node.js language host. Its own module (sdk/nodejs/cmd/pulumi-language-nodejs/v3) has no
# tags; the Go module proxy reachable here refuses every version of it (403 "not available"),
# so when the pinned commit is refused we fall back to the last sdk/v3 release served here that
# still carried the host inside the sdk module (v3.68.0). The engine speaks to language hosts
# over a versioned gRPC protocol with fallbacks for older hosts; the end-to-end suite is what
# proves the combination works.
build_language_host() {
  local dir="$work/lang" commit mark
  for commit in $LANGUAGE_HOST_COMMIT a05d88f24d05726fa3beae771bfdedb0c0c6a94a; do
    rm -rf "$dir" && mkdir -p "$dir"
    printf 'module pulumivobiz.local/langbuild\n\ngo 1.24\n\nreplace golang.org/x/text => golang.org/x/text v0.39.0\n' >"$dir/go.mod"
    printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3"\n' >"$dir/tools.go"
    mark=$(wc -l <"$BUILD_LOG")
    if step "resolving the Node.js language host at commit $commit" "$dir" \
      bash -c 'go get "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@$1" && go mod tidy -e' _ "$commit"; then
      step "compiling pulumi-language-nodejs ($commit)" "$dir" \
        go build -trimpath -ldflags "$ldflags" -o "$work/out/pulumi-language-nodejs" \
        github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 ||
        fail "compiling pulumi-language-nodejs failed"
      return 0
    fi
    log "commit $commit not available from the module proxy: $(tail -n +"$((mark + 1))" "$BUILD_LOG" | grep -m1 -o '[0-9]\{3\} [A-Za-z ]*' || echo failed)"
  done
  local fallback="${PULUMI_LANGUAGE_HOST_FALLBACK:-3.68.0}"
  rm -rf "$dir" && mkdir -p "$dir"
  printf 'module pulumivobiz.local/langbuild\n\ngo 1.20\n\nrequire github.com/pulumi/pulumi/sdk/v3 v%s\n' "$fallback" >"$dir/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"\n' >"$dir/tools.go"
  step "falling back to the language host inside sdk/v3@v$fallback: resolving its modules" "$dir" go mod tidy -e ||
    fail "resolving the fallback language host failed"
  step "compiling pulumi-language-nodejs (sdk v$fallback)" "$dir" \
    go build -trimpath -ldflags "$ldflags" -o "$work/out/pulumi-language-nodejs" \
    github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs ||
    fail "compiling the fallback language host failed"
}
build_language_host
build_yaml_host "$work/out"

write_dynamic_plugin "$work/out"
log "built $("$work/out/pulumi" version)"
rm -rf "$CLI_DIR"
mv "$work/out" "$CLI_DIR"
log "done: $CLI_DIR"
printf '%s\n' "$CLI_DIR"
