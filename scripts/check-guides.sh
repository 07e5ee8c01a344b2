#!/usr/bin/env bash
# Every item of the policy corpus has exactly one guide (解读, what users read), and a guide
# holds no ASCII word that the policy text itself does not use (no fact names, no rule
# syntax, no English): the words of every `source` line are the allow-list, with the names
# the 附则 definitions use ("全国知名视频平台…PPTV", 附则4 [253]), which no item quotes.
# Usage: scripts/check-guides.sh [DIR]  (default policies); exit 1 with each problem.
set -u
dir=${1:-policies}
awk '
  BEGIN { ok["PPTV"] = 1 }
  FNR == 1 { file = FILENAME }
  /^[ \t]*source[ \t]+"/ {
    s = $0
    while (match(s, /[A-Za-z][A-Za-z0-9]*/)) { ok[substr(s, RSTART, RLENGTH)] = 1; s = substr(s, RSTART + RLENGTH) }
  }
  /^item / { if (id != "" && guides[id] != 1) bad[++nb] = file_of[id] ": item " id " has " guides[id] + 0 " guides"
             id = $2; guides[id] = 0; file_of[id] = file }
  /^[ \t]*guide[ \t]+"/ { guides[id]++; text[id] = $0 }
  END {
    if (id != "" && guides[id] != 1) bad[++nb] = file_of[id] ": item " id " has " guides[id] + 0 " guides"
    for (i in text) {
      g = text[i]; sub(/^[ \t]*guide[ \t]+"/, "", g)
      while (match(g, /[A-Za-z][A-Za-z0-9_]*/)) {
        w = substr(g, RSTART, RLENGTH); g = substr(g, RSTART + RLENGTH)
        if (!(w in ok) && w !~ /^[A-Z]$/) bad[++nb] = file_of[i] ": item " i ": the guide uses \"" w "\", which the policy text does not"
      }
    }
    for (i = 1; i <= nb; i++) print bad[i]
    exit nb > 0
  }' "$dir"/*.hq
