#!/usr/bin/env bash
# Runs a command with a usable Pulumi CLI first on PATH (see pulumi-cli.sh: an installed CLI of
# at least the pinned version, or one built from Go modules into a cache on first use).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="$(bash "$here/pulumi-cli.sh")"
export PATH="$dir:$PATH"
export PULUMI_CLI_DIR="$dir"
export PULUMI_SKIP_UPDATE_CHECK=1
exec "$@"
