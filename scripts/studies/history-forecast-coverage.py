# A study for issue 12 (not part of the product or CI): how often "how many in H weeks"
# forecasts came true on matplotlib-closed (../shared/data/matplotlib-closed/, see its
# SOURCE.md), 12-week window, cut-offs every 4 weeks over the last 3 years: daily
# resampling, block bootstraps of 7 and 28 days, and a conformal recalibration.
# Pure Python 3, no packages: python3 scripts/studies/history-forecast-coverage.py
import csv, datetime as dt, os, random
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared', 'data', 'matplotlib-closed', 'matplotlib_closed.csv')
days = {}
for r in csv.DictReader(open(DATA)):
    d = dt.date.fromisoformat(r['date'][:10]); days[d] = days.get(d, 0) + 1
first, last = min(days), max(days)
series = []; d = first
while d <= last:
    series.append(days.get(d, 0)); d += dt.timedelta(days=1)
n = len(series)
cutoffs = list(range(n - 3*364, n - 8*7, 28))
rng = random.Random(1)
R = 2000
def forecast(window, h, method):
    sims = []
    if method == 'daily':
        for _ in range(R):
            sims.append(sum(rng.choice(window) for _ in range(h)))
    else:
        b = method
        blocks = [sum(window[i:i+b]) for i in range(0, len(window) - b + 1)]  # overlapping blocks of b days
        k = -(-h // b)
        for _ in range(R):
            tot = sum(rng.choice(blocks) for _ in range(k))
            sims.append(tot * h / (k * b))
    sims.sort()
    return sims
def q(s, p): return s[int(p * (len(s) - 1))]
print("method  horizon  85%-came-true  50%-came-true  median-MAE")
for method in ['daily', 7, 28]:
    for hw in (2, 4, 8):
        h = hw * 7; hit85 = hit50 = 0; err = 0.0; m = 0
        for c in cutoffs:
            if c + h > n: continue
            window = series[c - 84:c]; actual = sum(series[c:c+h])
            s = forecast(window, h, method)
            # "85%: at least this many" = the 15th percentile of the count
            hit85 += actual >= q(s, 0.15); hit50 += actual >= q(s, 0.50)
            err += abs(actual - q(s, 0.5)); m += 1
        print(f"{str(method):7} {hw:2} weeks   {hit85/m:6.0%}         {hit50/m:6.0%}        {err/m:6.1f}   ({m} cut-offs)")

print("\nconformal (daily resampling's median × the 15%/50% quantile of past actual÷median ratios, origins every 7 days over the 2 years before the cut-off, each ending before it)")
for hw in (2, 4, 8):
    h = hw * 7; hit85 = hit50 = 0; err = 0.0; m = 0
    for c in cutoffs:
        if c + h > n: continue
        ratios = []
        for c2 in range(c - h - 2*364, c - h + 1, 7):
            if c2 - 84 < 0: continue
            w2 = series[c2 - 84:c2]; mean2 = sum(w2) / 84 * h
            if mean2 > 0: ratios.append(sum(series[c2:c2+h]) / mean2)
        ratios.sort()
        window = series[c - 84:c]; med = sum(window) / 84 * h
        lo85 = med * q(ratios, 0.15); mid = med * q(ratios, 0.5)
        actual = sum(series[c:c+h])
        hit85 += actual >= lo85; hit50 += actual >= mid; err += abs(actual - mid); m += 1
    print(f"conf    {hw:2} weeks   {hit85/m:6.0%}         {hit50/m:6.0%}        {err/m:6.1f}   ({m} cut-offs)")
