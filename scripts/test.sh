#!/usr/bin/env bash
# Runs every test: starts PostgreSQL, checks formatting, builds once, runs all test projects, packs the SDK and runs
# the sample against a started server, and prints as the last line "N passed, N failed" (", N skipped" when some
# were). Non-zero exit on a format or build failure, any failed test, no test run at all, or a failed pack or sample.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
solution=ChannelAccounts.sln
results="$repo/.test-results"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# A step that fails before any test ran still ends the output with the totals line.
abort() {
  echo "FAILED: $1" >&2
  echo "0 passed, 0 failed"
  exit 1
}

echo "== PostgreSQL"
CHANNELACCOUNTS_TEST_POSTGRES=$(bash scripts/start-postgres.sh) || abort "scripts/start-postgres.sh"
export CHANNELACCOUNTS_TEST_POSTGRES

echo "== Chromium (for the admin page's browser tests)"
bash scripts/install-chromium.sh || abort "scripts/install-chromium.sh"

echo "== Restore"
dotnet restore "$solution" --verbosity minimal || abort "dotnet restore"

echo "== Format (dotnet format --verify-no-changes)"
dotnet format "$solution" --verify-no-changes --no-restore --verbosity minimal \
  || abort "formatting is off; run 'dotnet format $solution' and commit the result"

echo "== Build"
dotnet build "$solution" -c Release --no-restore --nologo --verbosity minimal || abort "dotnet build"

echo "== Test"
rm -rf "$results"
test_rc=0
dotnet test "$solution" -c Release --no-build --nologo --verbosity minimal \
  --logger trx --results-directory "$results" || test_rc=$?

# -- SDK (issue 5): the NuGet packages, and the sample run against the built server started on a temporary SQLite
# file. A failed step is counted and named among the failed tests of the totals line.
failed_steps=()
echo "== Pack (ChannelAccounts.Sdk, ChannelAccounts.Client)"
bash scripts/pack.sh "$results/packages" Release || failed_steps+=("scripts/pack.sh")
echo "== Sample against a started server"
bash scripts/run-sample.sh Release || failed_steps+=("scripts/run-sample.sh (samples/ChannelAccounts.Sample)")
# -- end of the SDK block

summary_rc=0
# Sums the <Counters> of every .trx file plus the failed steps named after the folder, lists the failed tests,
# prints the totals line; exit 1 if any failed or none ran.
python3 - "$results" "${failed_steps[@]}" <<'PY' || summary_rc=$?
import glob
import os
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
FAILED_COUNTERS = ("failed", "error", "timeout", "aborted")


def main(results_dir: str, failed_steps: list[str]) -> int:
    files = sorted(glob.glob(os.path.join(results_dir, "**", "*.trx"), recursive=True))
    passed = failed = skipped = executed = 0
    failed_names = []
    for path in files:
        root = ET.parse(path).getroot()
        counters = root.find(f"{NS}ResultSummary/{NS}Counters")
        if counters is None:
            print(f"{path}: no <Counters> element", file=sys.stderr)
            failed += 1
            continue
        count = lambda name: int(counters.get(name, "0"))
        passed += count("passed")
        failed += sum(count(name) for name in FAILED_COUNTERS)
        skipped += count("total") - count("executed")  # xunit skips are not in notExecuted
        executed += count("executed")
        for result in root.iter(f"{NS}UnitTestResult"):
            if result.get("outcome") in ("Failed", "Error", "Timeout", "Aborted"):
                failed_names.append(result.get("testName", "?"))

    failed += len(failed_steps)
    failed_names += [f"step: {step}" for step in failed_steps]
    if failed_names:
        print("Failed tests:")
        for name in sorted(failed_names):
            print(f"  {name}")
    if not files:
        print(f"No .trx file was written to {results_dir}.")
    elif executed == 0:
        print("No test was executed.")

    totals = f"{passed} passed, {failed} failed"
    if skipped > 0:
        totals += f", {skipped} skipped"
    print(totals)
    return 1 if failed > 0 or executed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
PY
if [ "$summary_rc" -ne 0 ]; then exit "$summary_rc"; fi
# dotnet test failed although every recorded test passed (a crashed test host, for instance).
if [ "$test_rc" -ne 0 ]; then
  echo "dotnet test exited with $test_rc although no failed test was recorded" >&2
  exit "$test_rc"
fi
