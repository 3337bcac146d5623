# destdir.sh - sourced by the install tests: `cmake --install` of the build
# that made $POSTERN into $d=$t/root with prefix /usr (the man pages and
# completion come from the postern_docs target first). Needs $t; exits 77
# when $POSTERN's directory is no CMake build, 1 when the install fails.
build=$(dirname "$POSTERN")
[ -f "$build/CMakeCache.txt" ] || { echo "skip: $build is not a CMake build directory"; exit 77; }
cmake --build "$build" --target postern_docs > "$t/build.log" 2>&1 || { cat "$t/build.log"; exit 1; }
d=$t/root
DESTDIR=$d cmake --install "$build" --prefix /usr > "$t/install.log" 2>&1
install_rc=$?
