#!/usr/bin/env bash
# docs/ci/: the GitHub Actions workflow and the GitLab CI job parse as YAML,
# install a postern .deb, upload or keep the SARIF report, and fail the job
# exactly when postern scan exits 1 (fail) or 64+ (no scan): their shell is
# run here with a stand-in postern for each status, and their postern command
# lines with the real one.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
python3 -c 'import yaml' 2> /dev/null || { echo "skip: python3-yaml is missing"; exit 77; }

# Writes the shell of the named steps/keys into files: gh-scan.sh, gh-verdict.sh,
# gl-script.sh, and the postern command lines into commands.txt.
python3 - "$SRC/docs/ci" "$t" <<'PY' || exit 1
import sys, yaml, re
src, out = sys.argv[1], sys.argv[2]
gh = yaml.safe_load(open(f"{src}/github-actions.yml"))
gl = yaml.safe_load(open(f"{src}/gitlab-ci.yml"))
steps = {s.get("name", s.get("uses", "")): s for s in gh["jobs"]["vet"]["steps"]}
assert "apt-get install -y -qq /tmp/postern.deb" in steps["Install postern"]["run"]
assert steps["Upload SARIF"]["uses"].startswith("github/codeql-action/upload-sarif")
assert steps["Upload SARIF"]["with"]["sarif_file"] == "postern.sarif"
assert gh["jobs"]["vet"]["permissions"]["security-events"] == "write"
open(f"{out}/gh-scan.sh", "w").write(steps["Scan"]["run"])
open(f"{out}/gh-verdict.sh", "w").write(steps["Verdict"]["run"])
job = gl["postern"]
assert "apt-get install -y -qq /tmp/postern.deb" in job["before_script"]
assert "postern.sarif" in job["artifacts"]["paths"] and job["artifacts"]["when"] == "always"
open(f"{out}/gl-script.sh", "w").write("\n".join(job["script"]) + "\n")
cmds = [l.strip() for l in (steps["Scan"]["run"] + "\n" + "\n".join(job["script"])).splitlines()
        if l.strip().startswith("postern scan")]
open(f"{out}/commands.txt", "w").write("\n".join(cmds) + "\n")
PY
check "both parse and install the .deb, upload/keep the SARIF" 'true'

# A stand-in postern: writes its -o file and exits $STUB_RC.
mkdir -p "$t/bin" "$t/work/out"
cat > "$t/bin/postern" <<'SH'
#!/bin/sh
while [ $# -gt 0 ]; do [ "$1" = -o ] && { echo '{}' > "$2"; }; shift; done
exit "${STUB_RC:-0}"
SH
chmod +x "$t/bin/postern"
github() {
  : > "$t/ghout"
  (cd "$t/work" && PATH=$t/bin:$PATH STUB_RC=$1 GITHUB_OUTPUT=$t/ghout sh -e "$t/gh-scan.sh") > /dev/null 2>&1 || return 99
  (cd "$t/work" && STATUS=$(sed -n 's/^status=//p' "$t/ghout") sh -e "$t/gh-verdict.sh") > /dev/null 2>&1
}
gitlab() { (cd "$t/work" && PATH=$t/bin:$PATH STUB_RC=$1 bash -eo pipefail "$t/gl-script.sh") > /dev/null 2>&1; }
for rc in 0 1 64 70; do
  rm -f "$t/work/postern.sarif"
  github "$rc"; g=$?
  check "GitHub: postern exit $rc -> scan step passes, SARIF written, job $( [ $rc = 0 ] && echo passes || echo fails)" \
    '[ $g -ne 99 ] && [ -s "$t/work/postern.sarif" ] && { { [ $rc = 0 ] && [ $g = 0 ]; } || { [ $rc != 0 ] && [ $g != 0 ]; }; }'
  gitlab "$rc"; l=$?
  check "GitLab: postern exit $rc -> job $( [ $rc = 0 ] && echo passes || echo fails)" \
    '{ [ $rc = 0 ] && [ $l = 0 ]; } || { [ $rc != 0 ] && [ $l != 0 ]; }'
done

# The real postern takes the examples' command lines.
mkdir -p "$t/work/out/fw"; echo "hello" > "$t/work/out/fw/readme.txt"
while read -r line; do
  # shellcheck disable=SC2086
  set -- ${line%%||*}
  shift
  (cd "$t/work" && "$POSTERN" "${@/out\/firmware.bin/out/fw}") > /dev/null 2> "$t/err"; rc=$?
  check "the real postern runs: ${line%%||*}" '[ $rc -eq 0 ] && [ ! -s "$t/err" ]'
done < <(sort -u "$t/commands.txt")
check "and writes SARIF" 'grep -q "\"version\": \"2.1.0\"" "$t/work/postern.sarif"'

# The example policy the package ships beside them parses and is applied.
"$POSTERN" scan "$t/work/out/fw" --policy "$SRC/docs/examples/lab-policy.yaml" --no-progress > "$t/lab" 2>&1; rc=$?
check "docs/examples/lab-policy.yaml is a valid policy" '[ $rc -eq 0 ] && grep -q "^policy: lab " "$t/lab"'
exit $fail
