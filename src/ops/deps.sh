#!/usr/bin/env bash
# Installs the Debian packages Adept needs, and the npm packages its browser
# tests use, when they are missing; a no-op (and quiet) when all are there.
set -euo pipefail
cd "$(dirname "$0")/../.."

pkgs=(
	build-essential pkg-config
	libfcgi-dev libpq-dev libctpl-dev libjwt-dev libsodium-dev
	libcurl4-openssl-dev libhpdf-dev libqrencode-dev libcmark-dev libjansson-dev
	libcmocka-dev liboath-dev libseccomp-dev
	postgresql-15 postgresql-contrib nginx-light
	fonts-dejavu-core curl poppler-utils zbar-tools
	espeak-ng ffmpeg
	wrk chromium default-jre-headless
	sqlmap slowhttptest clang libclang-rt-14-dev
)
# Node.js: Debian's nodejs and npm, unless a node of its own is already here
# (a NodeSource nodejs ships npm and conflicts with Debian's npm package).
command -v node >/dev/null || pkgs+=(nodejs)
command -v npm >/dev/null || pkgs+=(npm)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages for the browser tests (playwright-core, vnu-jar, axe-core),
# pinned by tests/package-lock.json.
if [ ! -d tests/node_modules ] ||
	[ tests/package-lock.json -nt tests/node_modules/.stamp ]; then
	echo "deps: npm ci in tests/"
	(cd tests && npm ci --no-audit --no-fund --loglevel=error >/dev/null &&
		touch node_modules/.stamp)
fi
