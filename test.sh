#!/usr/bin/env bash
# The test command: installs what the tests need (when run as root on Debian) and runs every
# test project in Release. Usage: bash test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")"

need=(wordnet-base postgresql-15 chromium)
# postgresql-15: the cluster tests start their own server with test/cluster/pg.sh (initdb and
# pg_ctl into a temporary folder on port 54331, as the user postgres) and stop it afterwards.
# chromium: the dashboard tests (test/RoseForest.Dashboard.Tests) drive Debian's /usr/bin/chromium
# with Playwright; Playwright's own browser download is never used.
# (later issues add the Debian packages their tests read: datasets, WordNet, peers)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "test.sh: please install: ${need[*]}" >&2
  fi
fi

# Qdrant's official JavaScript clients (REST and gRPC), pinned by test/js-client/package-lock.json.
if [ ! -d test/js-client/node_modules/@qdrant/js-client-rest ] || [ ! -d test/js-client/node_modules/@qdrant/js-client-grpc ]; then
  (cd test/js-client && npm ci --no-audit --no-fund --loglevel=error)
fi

# The official MCP TypeScript SDK client, pinned by test/mcp-client/package-lock.json.
if [ ! -d test/mcp-client/node_modules/@modelcontextprotocol/sdk ]; then
  (cd test/mcp-client && npm ci --no-audit --no-fund --loglevel=error)
fi

# The official A2A JavaScript SDK client, pinned by test/a2a-client/package-lock.json.
if [ ! -d test/a2a-client/node_modules/@a2a-js/sdk ]; then
  (cd test/a2a-client && npm ci --no-audit --no-fund --loglevel=error)
fi

dotnet test RoseForest.slnx -c Release --blame-hang-timeout 10m "$@"
