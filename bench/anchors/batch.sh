#!/usr/bin/env bash
# batch.sh FILE (.jsonl or a .csv sheet): huiqi's batch path, `huiqi eval --batch FILE --year 2021` (one CSV row
# per entity × eligible item; column 6 is the amount after 附则3 in yuan), summed per entity;
# prints "<entities with a non-zero total> <grand total in yuan>". Needs HQ and HUIQI_POLICIES.
set -euo pipefail
"$HQ" eval --batch "$1" --year 2021 |
    awk -F, 'NR > 1 { split($6, p, "."); t[$1] += p[1] * 100 + p[2] }
             END { for (k in t) if (t[k] > 0) { n++; s += t[k] } printf "%d %.0f\n", n, s / 100 }'
