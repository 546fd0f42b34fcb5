#!/usr/bin/env bash
# `cmake --install` into a temporary prefix, then clean a seed page from
# there with no --rules: the installed copy finds its installed rules
# (proved by breaking them), the man page renders and lists every flag,
# and the bash completion completes flags and their values.
# Usage: test_install.sh CMAKE BUILD_DIR SOURCE_DIR
set -euo pipefail
cmake=$1 build=$2 root=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAILED: $*" >&2; exit 1; }

p=$tmp/prefix
"$cmake" --install "$build" --prefix "$p" >"$tmp/install.log" || { cat "$tmp/install.log"; fail "cmake --install"; }
for f in bin/clean share/clean/rules/generic.rules share/clean/rules/upi.rules \
         share/man/man1/clean.1 share/bash-completion/completions/clean \
         share/zsh/site-functions/_clean share/doc/clean/LICENSE; do
  [ -f "$p/$f" ] || fail "not installed: $f"
done

# A seed page, cleaned by the installed copy (no --rules) and by the build
# tree's with the source rules: the same text and report.
page=$(ls "$root"/fixtures/upi/seed_003_*/input.txt | head -1)
cp "$page" "$tmp/page.txt"
cd "$tmp"
"$p/bin/clean" page.txt --report installed.json >installed.txt || fail "installed clean: exit $?"
"$build/clean" --rules "$root/rules" page.txt --report built.json >built.txt
[ -s installed.txt ] || fail "no clean text"
cmp installed.txt built.txt || fail "the installed copy's text differs"
cmp installed.json built.json || fail "the installed copy's report differs"
grep -q '"name": "upi"' installed.json || fail "the UPI rules did not clean the UPI page"

# The man page: renders without warnings and names every long flag of --help.
if command -v groff >/dev/null; then
  groff -man -Tutf8 -ww -z "$p/share/man/man1/clean.1" 2>groff.txt
  [ ! -s groff.txt ] || { cat groff.txt; fail "groff warns about clean.1"; }
  groff -man -Tutf8 "$p/share/man/man1/clean.1" 2>/dev/null | sed 's/.\x08//g' >man.txt
else
  cp "$p/share/man/man1/clean.1" man.txt
  sed -i 's/\\-/-/g' man.txt
fi
flags=$("$p/bin/clean" --help | grep -oE '^ +(-[a-zA-Z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+')
[ "$(echo "$flags" | wc -l)" -gt 20 ] || fail "too few flags in --help"
for f in $flags; do
  grep -qF -- "$f" man.txt || fail "clean.1 lacks $f"
done

# The bash completion: flags, a flag's values, the sources, the classes.
complete_words() {  # complete_words WORD... : COMPREPLY for the last word
  bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _clean; echo "${COMPREPLY[*]}"' \
    _ "$p/share/bash-completion/completions/clean" "$p/bin/clean" "$@"
}
[ "$(complete_words --out)" = "--output --out-dir" ] || fail "--out completes to '$(complete_words --out)'"
[ "$(complete_words -q)" = "-q" ] || fail "-q"
[ "$(complete_words --input "")" = "html text auto" ] || fail "--input values: $(complete_words --input "")"
[ "$(complete_words --source u)" = "upi ukrainska_pravda" ] || [ "$(complete_words --source u)" = "ukrainska_pravda upi" ] \
  || fail "--source u: '$(complete_words --source u)'"
[ "$(complete_words --keep title,na)" = "title,navigation" ] || fail "--keep title,na: '$(complete_words --keep title,na)'"
[ "$(complete_words --over-limit d)" = "drop" ] || fail "--over-limit d"
# zsh comes with tools/test (tools/deps.sh); without it the check is skipped, and says so.
if command -v zsh >/dev/null; then
  zsh -n "$p/share/zsh/site-functions/_clean" || fail "zsh -n _clean"
else
  echo "SKIPPED: zsh -n _clean (no zsh; tools/test installs it)" >&2
fi
# The rules it read are the installed ones: broken there, it says so.
echo 'this is not a rule' >>"$p/share/clean/rules/generic.rules"
set +e
"$p/bin/clean" page.txt >/dev/null 2>err.txt
code=$?
set -e
[ "$code" -eq 2 ] || fail "with broken installed rules: exit $code, expected 2"
grep -q "$p/share/clean/rules" err.txt || { cat err.txt; fail "the error does not name the installed rules"; }

echo "installed into $p: bin/clean cleans from its own rules; man page and completions work"
