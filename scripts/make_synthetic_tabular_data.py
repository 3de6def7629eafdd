# Writes same-format stand-ins for the two files the tabular tutorials read, for machines that cannot
# download them (the real ones: auto-mpg.data from the UCI repository, HIGGS.csv.gz from mlphysics.ics.uci.edu):
#   auto-mpg.data  398 cars, whitespace-aligned columns, '?' for 6 missing horsepowers, a tab then the quoted
#                  name — MPG made from weight, horsepower, year and origin with noise (not the real cars);
#   HIGGS.csv.gz   N rows "label,28 features" in %.18e notation, gzip — a noisy nonlinear rule of the features
#                  (Bayes accuracy well below 1, so large networks can overfit 10,000 rows as on the real data).
# Run: python3 scripts/make_synthetic_tabular_data.py OUTPUT_FOLDER [HIGGS_ROWS=60000]
import gzip, math, random, sys, os

folder = sys.argv[1]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 60000
os.makedirs(folder, exist_ok=True)
rng = random.Random(2026)
lines = []
for car in range(398):
    cylinders = rng.choice([4, 4, 4, 4, 6, 6, 8, 8, 3, 5][:8])
    displacement = cylinders * rng.uniform(18, 50)
    horsepower = 40 + displacement * rng.uniform(0.3, 0.5)
    weight = 1500 + displacement * rng.uniform(6, 9)
    acceleration = 24 - horsepower / 20 + rng.uniform(-1.5, 1.5)
    year = rng.randint(70, 82)
    origin = 1 if cylinders == 8 else rng.choice([1, 1, 2, 3])
    mpg = max(9.0, 58 - weight / 140 - horsepower / 14 + (year - 70) * 0.75 + (origin - 1) * 1.2 + rng.gauss(0, 2.2))
    hp = "?" if car in (32, 126, 330, 336, 354, 374) else "%.1f" % horsepower
    lines.append("%-6.1f %d   %-10.1f %-10s %-10s %-6.1f %d  %d\t\"car %d\"" % (mpg, cylinders, displacement, hp, "%.0f." % weight, acceleration, year, origin, car))
open(os.path.join(folder, "auto-mpg.data"), "w").write("\n".join(lines) + "\n")

weights = [rng.gauss(0, 1) for _ in range(28)]
with gzip.open(os.path.join(folder, "HIGGS.csv.gz"), "wt", compresslevel=6) as out:
    for _ in range(rows):
        x = [rng.gauss(0, 1) if i < 21 else abs(rng.gauss(1, 0.5)) for i in range(28)]
        score = sum(w * v for w, v in zip(weights[:8], x[:8])) * 0.4 + math.sin(2 * x[8]) + x[9] * x[10] - 0.8 * (x[22] - 1) ** 2 + 0.3
        label = 1.0 if rng.random() < 1 / (1 + math.exp(-1.2 * score)) else 0.0
        out.write(",".join("%.18e" % v for v in [label] + x) + "\n")
print("wrote", folder)
