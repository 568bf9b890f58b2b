#!/usr/bin/env bash
# Generates the Vobiz package's SDKs for other Pulumi languages into a scratch directory:
#
#   bash scripts/gen-sdks.sh [OUT_DIR] [LANGUAGE...]      (npm run gen:sdks -- OUT_DIR ...)
#
# OUT_DIR (default $TMPDIR/pulumi-vobiz-sdks, never inside the repository) gets schema.json (what
# the built plugin serves: `pulumi package get-schema bin/pulumi-resource-vobiz`) and one folder
# per LANGUAGE (default: go nodejs python dotnet). Needs `npm run build` first, Go, and a Pulumi
# CLI (scripts/pulumi-cli.sh finds or builds one); only the directory's path goes to stdout.
#
# Why not `pulumi package gen-sdk`: it hands generation to each language's host, and none that
# can be built here does it (the Go module proxy refuses the go, python, nodejs and dotnet host
# modules; the Node.js host built as a fallback is sdk v3.68's, which predates GeneratePackage).
# So this script builds scripts/sdkgen, a small Go program that calls the same code generators
# (github.com/pulumi/pulumi/pkg/v3/codegen/...), in a throwaway module the way pulumi-cli.sh
# builds the CLI: go, nodejs and python from pkg/v3 v$PULUMI_VERSION (the CLI's version, whose
# modules the CLI build already downloaded), and dotnet from pkg/v3 v$PULUMI_DOTNET_CODEGEN_VERSION
# (the .NET generator left pkg/v3 in 2026; pulumi-yaml, and so the YAML host build, uses this
# version). Each build is cached in $PULUMI_VOBIZ_CACHE by the sources' hash: the first takes
# from half a minute (Go build cache warm from the CLI build) to several minutes (cold, on a
# loaded machine); later runs only ask the plugin for its schema and generate (a few seconds).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PULUMI_VERSION="${PULUMI_VERSION:-3.259.0}"
PULUMI_DOTNET_CODEGEN_VERSION="${PULUMI_DOTNET_CODEGEN_VERSION:-3.206.0}"
CACHE_ROOT="${PULUMI_VOBIZ_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-vobiz}"

start=$(date +%s)
log() { printf '[gen-sdks +%3ss] %s\n' "$(($(date +%s) - start))" "$*" >&2; }
die() {
  log "$*"
  exit 1
}

out="${1:-${TMPDIR:-/tmp}/pulumi-vobiz-sdks}"
[ $# -gt 0 ] && shift
languages=("$@")
[ ${#languages[@]} -gt 0 ] || languages=(go nodejs python dotnet)
for language in "${languages[@]}"; do
  case "$language" in
    go | nodejs | python | dotnet) ;;
    *) die "unknown language '$language': choose from go, nodejs, python, dotnet" ;;
  esac
done

mkdir -p "$out"
out="$(cd "$out" && pwd -P)"
case "$out/" in
  "$(cd "$repo" && pwd -P)/"*) die "$out is inside the repository; generated SDKs go to a scratch directory (give another OUT_DIR)" ;;
esac
[ -f "$repo/dist/adapters/plugin/main.js" ] || die "the plugin is not built: run npm run build first"
command -v go >/dev/null || die "generating the SDKs needs Go (the generator is built from Go modules): install Go"

# The schema, as the engine gets it from the plugin.
cli_dir="$(bash "$repo/scripts/pulumi-cli.sh")"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
PULUMI_HOME="$home" PULUMI_SKIP_UPDATE_CHECK=1 "$cli_dir/pulumi" package get-schema \
  "$repo/bin/pulumi-resource-vobiz" >"$out/schema.json" ||
  die "pulumi package get-schema failed for bin/pulumi-resource-vobiz (see above)"

# generator KIND: prints the path of the cached sdkgen build for KIND (current: go, nodejs,
# python; dotnet), building it first when missing.
generator() {
  local kind="$1" version files tags="" key dir work buildlog
  if [ "$kind" = dotnet ]; then
    version="$PULUMI_DOTNET_CODEGEN_VERSION"
    files=(main.go languages_dotnet.go)
    tags="legacydotnet"
  else
    version="$PULUMI_VERSION"
    files=(main.go languages.go)
  fi
  key=$( (cd "$repo/scripts/sdkgen" && cat "${files[@]}" && echo "$version $(go env GOVERSION)") | sha256sum | cut -c1-16)
  dir="$CACHE_ROOT/sdkgen-$kind-$key"
  if [ -x "$dir/sdkgen" ]; then
    printf '%s\n' "$dir/sdkgen"
    return 0
  fi
  mkdir -p "$CACHE_ROOT"
  work="$(mktemp -d "$CACHE_ROOT/sdkgen-build.XXXXXX")"
  buildlog="$CACHE_ROOT/sdkgen-$kind-build.log"
  log "building the $kind SDK generator against pkg/v3 v$version (first time only; up to several minutes; log: $buildlog)"
  (cd "$repo/scripts/sdkgen" && cp "${files[@]}" "$work/")
  # pkg/v3's own go.mod replaces clipboard with a fork (replace directives of dependencies are
  # ignored, so this module repeats it), as scripts/pulumi-cli.sh does for the CLI.
  cat >"$work/go.mod" <<GOMOD
module pulumivobiz.local/sdkgen

go 1.24

require (
	github.com/pulumi/pulumi/pkg/v3 v$version
	github.com/pulumi/pulumi/sdk/v3 v$version
)

replace (
	github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
	golang.org/x/text => golang.org/x/text v0.39.0
)
GOMOD
  if ! (cd "$work" && export GOFLAGS="${GOFLAGS:-} -mod=mod" && go mod tidy -e &&
    go build -trimpath ${tags:+-tags "$tags"} -ldflags "-s -w" -o "$work/sdkgen" .) >"$buildlog" 2>&1; then
    tail -n 30 "$buildlog" >&2
    rm -rf "$work"
    die "building the $kind SDK generator failed (full log: $buildlog)"
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  mv "$work/sdkgen" "$dir/sdkgen"
  rm -rf "$work"
  printf '%s\n' "$dir/sdkgen"
}

current=() dotnet=()
for language in "${languages[@]}"; do
  if [ "$language" = dotnet ]; then dotnet=(dotnet); else current+=("$language"); fi
done
if [ ${#current[@]} -gt 0 ]; then
  gen="$(generator current)"
  "$gen" -schema "$out/schema.json" -out "$out" "${current[@]}" >&2
fi
if [ ${#dotnet[@]} -gt 0 ]; then
  gen="$(generator dotnet)"
  "$gen" -schema "$out/schema.json" -out "$out" dotnet >&2
fi
log "done: ${languages[*]} in $out"
printf '%s\n' "$out"
