#!/usr/bin/env bash
# check-layers.sh — enforces the layers of docs/architecture.md over the
# #include lines of lib/, src/ and include/: prints each violation as
# "file:line: X may not include Y (why)", and exits 1 when there is one.
# Known violations are allowed only through tools/layers.allow (one
# "FILE HEADER" pair a line, each with a comment saying why and who removes
# it); an entry that no longer excuses a violation is an error too, so the
# list only shrinks. Usage: tools/check-layers.sh [-v] (-v lists the allowed).
set -uo pipefail
cd "$(dirname "$0")/.."
ALLOW=tools/layers.allow
verbose=0
[[ ${1:-} == -v ]] && verbose=1

# layer PATH — the layer of a file under lib/ or src/ (a number), or "" for
# the public header (include/), which everyone may include.
#   0 core      lib/core: context, errors, buffers, UTF-8, SIRET, size bands
#   1 utilities lib/geo; the CSV reader and writer (ingest/csv, export/csv)
#               and text folding (search/text): they depend on core only
#   2 store     lib/store: the storage interface and its backends
#   3 privacy   lib/privacy: the secrecy rule
#   4 records   lib/firm (establishments, companies), lib/territory (places)
#   5 loaders   lib/ref (reference data), lib/ingest (imports)
#   6 domains   lib/search, lib/match, lib/map, lib/export, and new ones
#   7 faces     src/ (CLI) and src/http (server)
layer() {
  case $1 in
    include/*) echo "" ;;
    lib/core/*) echo 0 ;;
    lib/geo/* | lib/ingest/csv.[ch] | lib/export/csv.[ch] | lib/search/text.[ch]) echo 1 ;;
    lib/store/*) echo 2 ;;
    lib/privacy/*) echo 3 ;;
    lib/firm/* | lib/territory/*) echo 4 ;;
    lib/ref/* | lib/ingest/*) echo 5 ;;
    lib/*) echo 6 ;;
    src/*) echo 7 ;;
    *) echo 9 ;;
  esac
}

# module PATH — the folder a file belongs to ("lib/match", "src"); the
# utilities of layer 1 that live in another folder count as their own module.
module() {
  case $1 in
    lib/ingest/csv.[ch] | lib/export/csv.[ch] | lib/search/text.[ch]) echo "${1%.*}" ;;
    lib/*) local m=${1#lib/}; echo "lib/${m%%/*}" ;;
    src/*) echo src ;;
    include/*) echo include ;;
  esac
}

# The libraries each part may use: a system header, then a pattern of the
# files allowed to include it. A backend's library stays in its backend.
SYS_RULES=(
  "sqlite3.h lib/store/sqlite*"
  "libpq-fe.h lib/store/pg*"
  "microhttpd.h src/http/*"
  "proj.h lib/geo/*"
  "xlsxwriter.h lib/export/*"
  "archive.h lib/@(ingest/csv|export/docx).c"
  "archive_entry.h lib/@(ingest/csv|export/docx).c"
  "csv.h lib/ingest/csv.c"
  "libstemmer.h lib/search/text.c"
)

# resolve FILE HEADER — the repository path of a quoted include, searched as
# the compiler does: the including file's folder, then -Ilib, then -Iinclude.
resolve() {
  local dir h=$2
  dir=$(dirname "$1")
  if [[ -f $dir/$h ]]; then realpath -m --relative-to=. "$dir/$h"
  elif [[ -f lib/$h ]]; then echo "lib/$h"
  elif [[ -f include/$h ]]; then echo "include/$h"
  else echo "?$h"; fi
}

declare -A allowed=() used=()
if [[ -f $ALLOW ]]; then
  while read -r f h _; do
    [[ -z ${f:-} || $f == \#* ]] && continue
    allowed["$f $h"]=1
  done <"$ALLOW"
fi

violations=0 excused=0
report() { # FILE LINE HEADER WHY
  if [[ -n ${allowed["$1 $3"]:-} ]]; then
    used["$1 $3"]=1
    excused=$((excused + 1))
    ((verbose)) && echo "$1:$2: allowed by $ALLOW: $(module "$1") may not include $3 ($4)"
    return
  fi
  echo "$1:$2: $(module "$1") may not include $3 ($4)"
  violations=$((violations + 1))
}

# check FILE — every #include of one file against the rules.
check() {
  local f=$1 fl fm n line h t tl tm rule lib pat ok
  fl=$(layer "$f")
  fm=$(module "$f")
  while IFS=: read -r n line; do
    if [[ $line =~ \#[[:space:]]*include[[:space:]]*\<([^>]+)\> ]]; then
      h=${BASH_REMATCH[1]}
      for rule in "${SYS_RULES[@]}"; do
        lib=${rule%% *} pat=${rule#* }
        # shellcheck disable=SC2053
        [[ $h == "$lib" && $f != $pat ]] && report "$f" "$n" "<$h>" "only $pat uses $lib"
      done
      continue
    fi
    [[ $line =~ \#[[:space:]]*include[[:space:]]*\"([^\"]+)\" ]] || continue
    h=${BASH_REMATCH[1]}
    t=$(resolve "$f" "$h")
    if [[ $t == \?* ]]; then report "$f" "$n" "$h" "no such header"; continue; fi
    tl=$(layer "$t")
    tm=$(module "$t")
    [[ $tm == "$fm" || -z $tl ]] && continue # its own folder, or the public API
    case $t in
      *_impl.h | *_schema.h)
        report "$f" "$n" "$h" "a private header of $tm"
        continue ;;
    esac
    if [[ $fl == 7 ]]; then
      # The faces use the public API and core's utilities only.
      [[ $tl == 0 ]] || report "$f" "$n" "$h" "the CLI and the server use include/maillage.h and lib/core only"
      continue
    fi
    if ((tl > fl)); then
      report "$f" "$n" "$h" "layer $fl may not reach up to layer $tl ($tm)"
    elif ((tl == fl && tl >= 4)); then
      report "$f" "$n" "$h" "$fm and $tm are side by side: they talk through include/maillage.h"
    fi
  done < <(grep -n '^[[:space:]]*#[[:space:]]*include' "$f")
}

while IFS= read -r f; do
  check "$f"
done < <(find lib src include -name '*.[ch]' | sort)

stale=0
for k in "${!allowed[@]}"; do
  if [[ -z ${used[$k]:-} ]]; then
    echo "$ALLOW: '$k' excuses no violation any more: remove the line"
    stale=$((stale + 1))
  fi
done

echo "layers: $violations violation(s), $excused allowed by $ALLOW, $stale stale allowance(s)"
((violations == 0 && stale == 0))
