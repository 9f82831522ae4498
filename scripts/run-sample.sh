#!/usr/bin/env bash
# Runs samples/ChannelAccounts.Sample the way a user would, against the built server: starts `serve` on a temporary
# SQLite file at a free port on 127.0.0.1, gets a bearer token with `token`, runs the sample with
# CHANNELACCOUNTS_URL and CHANNELACCOUNTS_TOKEN, and stops the server. Exits with the sample's exit code (1 when the
# server does not start). Needs a build of the given configuration (default Release).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
configuration=${1:-Release}
server="$repo/src/ChannelAccounts.Server/bin/$configuration/net10.0/ChannelAccounts.Server.dll"
sample="$repo/samples/ChannelAccounts.Sample/bin/$configuration/net10.0/ChannelAccounts.Sample.dll"
for built in "$server" "$sample"; do
  [ -f "$built" ] || { echo "$built is missing; build the solution with -c $configuration first." >&2; exit 1; }
done

work=$(mktemp -d)
server_pid=""
stop() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
url="http://127.0.0.1:$port"
db="sqlite:$work/sample.db"
dotnet "$server" serve --urls "$url" --db "$db" >"$work/server.log" 2>&1 &
server_pid=$!

# Ready when the port accepts connections (the organization is set up before Kestrel listens); at most 60 s.
for _ in $(seq 1 120); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    break
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "The server stopped before it listened on $url:" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
  sleep 0.5
done

token=$(dotnet "$server" token --db "$db")
sample_rc=0
CHANNELACCOUNTS_URL="$url" CHANNELACCOUNTS_TOKEN="$token" dotnet "$sample" || sample_rc=$?
if [ "$sample_rc" -ne 0 ]; then
  echo "The sample failed (exit $sample_rc); the server's log:" >&2
  cat "$work/server.log" >&2
fi
exit "$sample_rc"
