#!/usr/bin/env bash
# codeServer.sh: run code-server 4.139.1 (= VS Code 1.139.1) on Node 24, isolated under $TALLY_VSCODE_HOME.
#   bash codeServer.sh --bind-addr 127.0.0.1:8080 test/fixtures/workspace   # then open http://127.0.0.1:8080/
#   bash codeServer.sh --install-extension .cache/tally.vsix                  # into the extensions folder below
# runTests.mjs starts it for every test run (fresh profile each time); scripts/start.mjs for `npm start`.
# Env: TALLY_CS_USER_DATA, TALLY_CS_EXTENSIONS, TALLY_CS_TMPDIR = profile, extensions and temp folders
#      (default $TALLY_VSCODE_HOME/dev/user-data, .../dev/extensions, $TALLY_VSCODE_HOME/tmp);
#      TALLY_CS_WRAPPER = command prefix for debugging, e.g. "strace -f -e trace=connect -o strace.log";
#      TALLY_CS_WORKSPACE_TRUST=1 keeps workspace trust enabled (default: --disable-workspace-trust, every folder is
#      trusted); with it and "security.workspace.trust.startupPrompt": "never" a folder the browser profile has never
#      trusted opens in Restricted Mode without a modal (test/e2e/restrictedMode.e2e.ts);
#      TALLY_CS_USER_SETTINGS = a JSON object merged into the profile's User/settings.json (after the defaults below
#      are seeded), e.g. '{"tally.baseUrl":"http://127.0.0.1:4000/v1"}'.
set -euo pipefail
TALLY_VSCODE_QUIET=1 . "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/env.sh"
[ -f "$TALLY_CODE_SERVER/out/node/entry.js" ] || { echo "code-server is not installed: bash test/support/realVscode/setup.sh" >&2; exit 1; }
export PATH=$TALLY_NODE24/bin:$PATH

# The server, the extension host and terminals see this HOME, not the user's (os.homedir() in tests = this).
H=$TALLY_VSCODE_HOME/home
export HOME=$H XDG_CONFIG_HOME=$H/.config XDG_DATA_HOME=$H/.local/share XDG_CACHE_HOME=$H/.cache
export TMPDIR=${TALLY_CS_TMPDIR:-$TALLY_VSCODE_HOME/tmp}   # VS Code's IPC sockets (vscode-ipc-*.sock) go here
unset XDG_RUNTIME_DIR                                      # else VS Code puts them there instead

# Network: the extension gallery (default open-vsx.org) points at 127.0.0.1:9, where nothing listens.
export EXTENSIONS_GALLERY='{"serviceUrl":"http://127.0.0.1:9/vscode/gallery","itemUrl":"http://127.0.0.1:9/vscode/item","resourceUrlTemplate":"http://127.0.0.1:9/vscode/unpkg/{publisher}/{name}/{version}/{path}"}'

USER_DATA=${TALLY_CS_USER_DATA:-$TALLY_VSCODE_HOME/dev/user-data}
EXT_DIR=${TALLY_CS_EXTENSIONS:-$TALLY_VSCODE_HOME/dev/extensions}
mkdir -p "$HOME" "$TMPDIR" "$USER_DATA/User" "$EXT_DIR"
# Telemetry off as a USER SETTING: with --disable-telemetry alone the extension host still looked up
# mobile.events.data.microsoft.com (kit, checked with strace); with it, connect() went to 127.0.0.1 only.
settings=$USER_DATA/User/settings.json
[ -f "$settings" ] || cat > "$settings" <<'JSON'
{
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "workbench.startupEditor": "none",
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "git.openRepositoryInParentFolders": "never"
}
JSON
if [ -n "${TALLY_CS_USER_SETTINGS:-}" ]; then   # merged on every start: the same value gives the same file
  node -e 'const fs = require("fs"); const [file, extra] = process.argv.slice(1);
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, "utf8")), ...JSON.parse(extra) }, null, 2) + "\n");' \
    "$settings" "$TALLY_CS_USER_SETTINGS" || { echo "codeServer.sh: cannot merge TALLY_CS_USER_SETTINGS into $settings" >&2; exit 1; }
fi
grep -q '"telemetry.telemetryLevel": *"off"' "$settings" || echo "codeServer.sh: WARNING: $settings lacks \"telemetry.telemetryLevel\": \"off\"" >&2

trust=(--disable-workspace-trust)
if [ "${TALLY_CS_WORKSPACE_TRUST:-}" = 1 ]; then trust=(); fi
exec ${TALLY_CS_WRAPPER:-} node "$TALLY_CODE_SERVER/out/node/entry.js" \
  --auth none --disable-telemetry --disable-update-check ${trust[@]+"${trust[@]}"} --disable-getting-started-override \
  --user-data-dir "$USER_DATA" --extensions-dir "$EXT_DIR" "$@"
