#!/usr/bin/env bash
# Packs the SDK's NuGet packages (ChannelAccounts.Sdk, ChannelAccounts.Client) from an existing build into the given
# folder and checks that each package carries its README. Needs a build of the given configuration (default Release).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:?usage: pack.sh OUTPUT-FOLDER [CONFIGURATION]}
configuration=${2:-Release}
mkdir -p "$out"
for project in ChannelAccounts.Sdk ChannelAccounts.Client; do
  dotnet pack "$repo/src/$project/$project.csproj" -c "$configuration" --no-build --nologo --verbosity minimal -o "$out"
  package=$(ls "$out/$project".[0-9]*.nupkg)
  python3 - "$package" <<'PY'
import sys
import zipfile

package = sys.argv[1]
if "README.md" not in zipfile.ZipFile(package).namelist():
    sys.exit(f"{package} has no README.md")
print(f"{package}: README.md included")
PY
done
