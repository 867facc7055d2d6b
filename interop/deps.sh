#!/bin/sh
# make deps: installs what 'make test' needs beyond Go, and only what is
# missing, so a second run does nothing:
#   - xmllint (Debian libxml2-utils), node and npm (Debian nodejs, npm),
#     chromium (the HTML report's browser test), GNU time (make bench-rss),
#     with apt-get, as root or
#     through sudo;
#   - the npm tools of interop/package.json at the exact versions of
#     interop/package-lock.json ('npm ci'), into interop/node_modules
#     (gitignored); a stamp there records which lock file was installed.
# When it cannot, it fails with one line saying what is missing and why.
set -eu
cd "$(dirname "$0")"

fail() {
	echo "make deps: $*" >&2
	exit 1
}
log=$(mktemp "${TMPDIR:-/tmp}/acsconform-deps.XXXXXX")

missing=""
command -v xmllint >/dev/null 2>&1 || missing="$missing libxml2-utils"
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
[ -x /usr/bin/time ] || missing="$missing time" # GNU time, for make bench-rss
if [ -n "$missing" ]; then
	command -v apt-get >/dev/null 2>&1 || fail "missing$missing, and no apt-get to install them with: install them by hand"
	sudo=""
	if [ "$(id -u)" != 0 ]; then
		command -v sudo >/dev/null 2>&1 || fail "missing$missing: run 'make deps' as root (apt-get needs it), or install them by hand"
		sudo="sudo -n"
	fi
	echo "make deps: apt-get install$missing" >&2
	if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing; } >"$log" 2>&1; then
		fail "apt-get install$missing failed: $(tail -n 1 "$log") (full output in $log)"
	fi
fi

stamp=node_modules/.acsconform-lock.sha256
want=$(sha256sum package-lock.json | cut -d ' ' -f 1)
have=$(cat "$stamp" 2>/dev/null || true)
tools_ok=true
for bin in prism junit-viewer xunit-viewer; do
	[ -x "node_modules/.bin/$bin" ] || tools_ok=false
done
if [ "$have" != "$want" ] || [ "$tools_ok" != true ]; then
	echo "make deps: npm ci (interop/package-lock.json: @stoplight/prism-cli, junit-viewer, xunit-viewer)" >&2
	if ! npm ci --include=dev --no-audit --no-fund --loglevel=error >"$log" 2>&1; then
		fail "npm ci in interop/ failed: $(grep -v '^\s*$' "$log" | tail -n 1) (full output in $log)"
	fi
	echo "$want" >"$stamp"
	# a module of its own, so that ./... never reaches a .go file in it
	echo "module acsconform.invalid/node_modules" >node_modules/go.mod
fi
rm -f "$log"
