# sanitized.sh - sourced by e2e tests: sets SANITIZED=1 when $POSTERN is a
# sanitizer build (ASan linked statically or as libasan). ldd's output is read
# whole: `ldd | grep -q` under pipefail fails at random, when grep's early exit
# kills ldd with SIGPIPE (a CI run judged an ASan build by the 512 MB bound).
SANITIZED=
if grep -q -a AddressSanitizer "$POSTERN" 2>/dev/null; then
  SANITIZED=1
else
  case "$(ldd "$POSTERN" 2>/dev/null)" in *libasan*) SANITIZED=1 ;; esac
fi
