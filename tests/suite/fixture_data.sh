# Sourced by the suite tests: writes small SST-2 and AG News folders under
# "$1" in their canonical formats, each label carried by one word so a tiny
# model learns them in seconds.
write_fixture_data() {
  local root=$1 train=${2:-240} dev=${3:-60}
  mkdir -p "$root/sst2" "$root/ag_news"
  sst2_rows() {
    printf 'sentence\tlabel\n'
    for ((i = 0; i < $1; i++)); do
      if (((i + $2) % 2)); then printf 'the film was good number %d\t1\n' "$i"; else printf 'the film was bad number %d\t0\n' "$i"; fi
    done
  }
  ag_rows() {
    local words=(world sports business science)
    for ((i = 0; i < $1; i++)); do
      local c=$(((i + $2) % 4))
      printf '"%d","%s news %d","a story about %s and item %d"\n' $((c + 1)) "${words[$c]}" "$i" "${words[$c]}" "$i"
    done
  }
  sst2_rows "$train" 0 > "$root/sst2/train.tsv"
  sst2_rows "$dev" 1 > "$root/sst2/dev.tsv"
  ag_rows "$train" 0 > "$root/ag_news/train.csv"
  ag_rows "$dev" 1 > "$root/ag_news/dev.csv"
}

# The smoke suite on that data, small enough for seconds per unit.
SMOKE_FLAGS=(--suite smoke --max-train 200 --max-calibration 40 --max-test 40 --vocab-size 200)

# Prints, one line per record under "$1", its run id and what it computed
# (accuracy, macro-F1 and FLOPs at every operating point), sorted: two runs
# of the same sweep compare equal on this, whatever their timings.
record_results() {
  python3 - "$1" <<'PY'
import json, pathlib, sys
rows = []
for path in pathlib.Path(sys.argv[1]).rglob("*.json"):
    r = json.loads(path.read_text())
    points = [(p["name"], p["accuracy"], p["macro_f1"], p["flops_per_instance"]) for p in r["operating_points"]]
    rows.append(r["run_id"] + " " + json.dumps(points))
print("\n".join(sorted(rows)))
PY
}
