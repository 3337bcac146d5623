# scan_one.sh - sourced by tests/fuzz/mutate_real.sh and tests/e2e/crash_inputs.sh:
# scan_one POSTERN INPUT FORMAT TIMEOUT LOG [OUT [ARGS...]] scans INPUT once (the
# report to OUT, default /dev/null; ARGS passed on) and sets VERDICT to
#   ok      exit 0 (pass/review) or 1 (fail), no sanitizer report
#   dataerr exit 65 (EX_DATAERR: the target is malformed, src/cli/common.c);
#           a documented answer, counted apart from ok
#   abort   a sanitizer report, a signal, or any other exit >= 2 (64 usage,
#           66-78 I/O and internal errors: none is right for a readable file)
#   hang    still running after TIMEOUT seconds (killed)
# and RC to the exit status. ASan's own exit status is 1 by default, the same
# as a fail verdict, so it is set to 86 here, and stderr is read for reports as
# well. Freed heap memory is filled (MALLOC_PERTURB_) so that a release build
# reading a freed block reads garbage pointers and crashes rather than stale,
# plausible values. It is no proof: issue 22's inputs do not crash a release
# build with it (glibc's realloc can grow a block in place), so
# tests/e2e/crash_inputs.sh runs them under valgrind in a release build.
scan_one() {
  local postern=$1 input=$2 format=$3 secs=$4 log=$5 out=${6:-/dev/null}
  shift 6 2>/dev/null || shift $#
  RC=0
  ASAN_OPTIONS="exitcode=86:abort_on_error=0:${ASAN_OPTIONS:-}" \
  UBSAN_OPTIONS="halt_on_error=1:exitcode=87:print_stacktrace=1:${UBSAN_OPTIONS:-}" \
  MALLOC_PERTURB_=165 \
    timeout -k 5 "$secs" "$postern" scan "$input" --format "$format" --inventory \
      -o "$out" "$@" > "$log" 2>&1 || RC=$?
  if [ "$RC" -eq 124 ] || [ "$RC" -eq 137 ]; then
    VERDICT=hang
  elif grep -q -a -E 'ERROR: [A-Za-z]+Sanitizer|runtime error:|Sanitizer:DEADLYSIGNAL' "$log"; then
    VERDICT=abort
  elif [ "$RC" -le 1 ]; then
    VERDICT=ok
  elif [ "$RC" -eq 65 ]; then
    VERDICT=dataerr
  else
    VERDICT=abort
  fi
}
