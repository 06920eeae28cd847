#!/bin/sh
# Install the Debian 12 packages Ludus needs to build, run and test.
#
# Idempotent: asks dpkg which packages are missing and only then runs
# `apt-get update` (once) and `apt-get install`. Nothing is downloaded from
# anywhere but Debian's archive. Run as root, or as a user with sudo.
set -eu

# One package a line: what it is for is said in the README's dependency table.
PACKAGES="
make
gcc
pkg-config
libmicrohttpd-dev
libjansson-dev
libpq-dev
libsodium-dev
libcrypt-dev
libmd4c-dev
libmd4c-html0-dev
libcmocka-dev
libcurl4-openssl-dev
libssl-dev
libsqlite3-dev
libzip-dev
libzstd-dev
libxml2-dev
libpoppler-glib-dev
libexttextcat-dev
libmagic-dev
postgresql-15
postgresql-client-15
postgresql-15-pgtap
libtap-parser-sourcehandler-pgtap-perl
python3
python3-pytest
python3-authlib
apache2-utils
whois
chromium
fonts-noto-color-emoji
wrk
"

# `make security` (scripts/deps.sh security) adds its tools: clang with
# libFuzzer (compiler-rt), sqlmap and slowhttptest.
if [ "${1:-}" = security ]; then
	PACKAGES="$PACKAGES clang libclang-rt-14-dev sqlmap slowhttptest"
fi

# Node.js and npm drive the browser tests (playwright-core).  The machine's
# own Node.js is used when there is one; Debian's otherwise.
if ! command -v npm >/dev/null 2>&1; then
	PACKAGES="$PACKAGES nodejs npm"
fi

missing=""
for p in $PACKAGES; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done

if [ -z "$missing" ]; then
	exit 0
fi

echo "deps: installing:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "deps: these Debian packages are missing and I am not root (no sudo):$missing" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
