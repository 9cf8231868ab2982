# Helpers shared by the packaging and schema test scripts.
# shellcheck shell=bash

tf_fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
tf_pass() { printf 'ok: %s\n' "$*"; }

# tf_need TOOL PACKAGE: a missing tool fails the test with the Debian package that provides it
# (scripts/test.sh installs all of them through TF_TEST_PACKAGES).
tf_need() {
  command -v "$1" >/dev/null 2>&1 || tf_fail "$1 not found: apt-get install $2 (scripts/test.sh installs it)"
}

# tf_require_env VAR...: the CTest registration passes these; running a script by hand needs them too.
tf_require_env() {
  local var
  for var in "$@"; do
    [ -n "${!var:-}" ] || tf_fail "environment variable $var is not set (run through ctest)"
  done
}

# tf_expect_eq DESCRIPTION EXPECTED ACTUAL
tf_expect_eq() {
  if [ "$2" != "$3" ]; then
    printf 'FAIL: %s\n--- expected\n%s\n--- actual\n%s\n' "$1" "$2" "$3" >&2
    exit 1
  fi
  tf_pass "$1"
}

# tf_list_contains "a, b (>= 1), c" b: whether a Debian relationship field names the package.
tf_list_contains() {
  local list="$1" want="$2" item
  IFS=',' read -r -a items <<<"$list"
  for item in "${items[@]}"; do
    item="${item#"${item%%[![:space:]]*}"}"   # trim leading blanks
    item="${item%% *}"                        # drop a version constraint
    [ "$item" = "$want" ] && return 0
  done
  return 1
}
