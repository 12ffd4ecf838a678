#!/usr/bin/env bash
# Builds the working corpora in fuzz/corpus/<target>/ from the repository's own
# inputs: the example scenarios, the starter template, every YAML snippet in the
# integration tests, and the delivery-history CSV (plus the committed seeds).
# Run from the repository root: bash fuzz/make-corpus.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/scenario fuzz/corpus/history_csv
cp scenarios/*.yaml fuzz/corpus/scenario/
cp src/scenario/template.yaml fuzz/corpus/scenario/template.yaml
python3 - <<'PY'
import glob, re
n = 0
for f in sorted(glob.glob('tests/integration/**/*.rs', recursive=True)):
    src = open(f).read()
    for m in re.finditer(r'"((?:[^"\\]|\\.)*)"', src, re.S):
        s = m.group(1)
        if 'stages' not in s and 'arrivals' not in s:
            continue
        s = re.sub(r'\\\n\s*', '', s)
        s = s.replace('\\n', '\n').replace('\\"', '"').replace('\\\\', '\\')
        if 'format!' in src[max(0, m.start() - 30):m.start()]:
            s = s.replace('{{', '{').replace('}}', '}')
        open(f'fuzz/corpus/scenario/test-snippet-{n:03}.yaml', 'w').write(s)
        n += 1
print(f'{n} scenario snippets from the tests')
PY
cp scenarios/*.csv fuzz/corpus/history_csv/
