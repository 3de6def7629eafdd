# Writes same-format stand-ins for the two files the tabular tutorials read, for machines that cannot
# download them (the real ones: auto-mpg.data from the UCI repository, HIGGS.csv.gz from mlphysics.ics.uci.edu).
# Shape and difficulty are made to resemble the real files; the figures a model reaches on them can resemble,
# never equal, the tutorials' (other rows, other physics). See Docs/Tutorials.md.
#
#   auto-mpg.data  398 cars in the UCI layout (whitespace-aligned columns, '?' for 6 missing horsepowers, a tab
#                  then the quoted name). Cylinders, displacement, horsepower, weight, acceleration, year and
#                  origin drawn with the real file's ranges and mix; MPG = 100 / consumption, consumption linear
#                  in weight, horsepower, year and origin, times log-normal noise (σ = 0.08). So MPG is curved
#                  in its features, as the real one is: on 80/20 splits a linear fit on horsepower alone has test
#                  MAE ≈ 3.4, on all features ≈ 2.2, and the noise alone ≈ 1.56 (the tutorial's real-data
#                  figures are about 3.65, 2.5 and 1.65).
#   HIGGS.csv.gz   N rows "label,28 features" in %.18e notation, gzip, the real file's column order: 21
#                  low-level (lepton pT/η/φ, missing energy, 4 jets' pT/η/φ/b-tag) and 7 high-level masses
#                  (m_jj, m_jjj, m_lv, m_jlv, m_bb, m_wbb, m_wwbb), with HIGGS-like ranges (pT and masses
#                  positive around 1, η within ±2.5, φ uniform in ±1.74, b-tag in {0, 1.0865, 2.1731}). The label
#                  comes first (53 % signal) and the features are drawn given it: signal has harder leading jets,
#                  more b-tags, a narrow m_bb peak and a narrower m_lv/m_wwbb, and the lepton's η correlated
#                  with the first jet's (an interaction no linear model sees). The Bayes-optimal classifier,
#                  computed from these densities, has accuracy ≈ 0.717 and cross-entropy ≈ 0.551; logistic
#                  regression ≈ 0.635 / 0.639 — so a 10,000-row training set leaves room to underfit (Tiny) and
#                  to overfit (Large), as the tutorial's real data does.
# Run: python3 scripts/make_synthetic_tabular_data.py OUTPUT_FOLDER [HIGGS_ROWS=60000] [--check]
# (needs NumPy; --check prints the Bayes and logistic figures above from 200,000 fresh rows).
import gzip, math, os, sys
import numpy as np

def lognormal_density(x, mean, sd): return np.exp(-(np.log(x) - mean) ** 2 / (2 * sd * sd)) / (x * sd * math.sqrt(2 * math.pi))
def normal_density(x, mean, sd): return np.exp(-(x - mean) ** 2 / (2 * sd * sd)) / (sd * math.sqrt(2 * math.pi))
def gamma_density(x, shape, scale): return np.exp((shape - 1) * np.log(x) - x / scale - math.lgamma(shape) - shape * math.log(scale))

def auto_mpg_lines(rng):
    n = 398
    cylinders = rng.choice([3, 4, 5, 6, 8], n, p=[0.01, 0.515, 0.008, 0.21, 0.257])
    low, high = {3: 68, 4: 70, 5: 121, 6: 146, 8: 260}, {3: 80, 4: 156, 5: 183, 6: 258, 8: 455}
    displacement = np.array([rng.uniform(low[c], high[c]) for c in cylinders])
    horsepower = np.clip(0.33 * displacement + 22 + rng.normal(0, 10, n), 46, 230)
    weight = np.clip(1250 + 7.6 * displacement + rng.normal(0, 230, n), 1613, 5140)
    acceleration = np.clip(21.5 - horsepower / 22 + rng.normal(0, 1.6, n), 8, 24.8)
    year = rng.integers(70, 83, n)
    origin = np.where(cylinders == 8, 1, np.where(cylinders == 6, rng.choice([1, 2, 3], n, p=[0.85, 0.05, 0.1]),
                                                  rng.choice([1, 2, 3], n, p=[0.42, 0.28, 0.30])))
    gallons_per_100_miles = 1.25 + 0.00105 * weight + 0.009 * horsepower - 0.075 * (year - 70) - 0.15 * (origin == 3)
    mpg = 100 / gallons_per_100_miles * np.exp(rng.normal(0, 0.08, n))
    lines = []
    for car in range(n):
        hp = "?" if car in (32, 126, 330, 336, 354, 374) else "%.1f" % horsepower[car]
        lines.append("%-6.1f %d   %-10.1f %-10s %-10s %-6.1f %d  %d\t\"car %d\"" % (
            mpg[car], cylinders[car], displacement[car], hp, "%.0f." % weight[car], acceleration[car], year[car], origin[car], car))
    return lines

def higgs_rows(rows, rng):
    """Returns labels, the 28 features and the Bayes-optimal probability of signal."""
    label = (rng.random(rows) < 0.53).astype(np.float64)
    signal = label == 1
    log_ratio = np.full(rows, math.log(0.53 / 0.47))
    columns = []
    # lepton η and the first jet's η: correlated (ρ = 0.45) for signal, independent for background
    rho = 0.45
    z1, z2 = rng.normal(size=rows), rng.normal(size=rows)
    jet1_eta = np.where(signal, rho * z1 + math.sqrt(1 - rho * rho) * z2, z2)
    log_ratio += (-(z1 * z1 - 2 * rho * z1 * jet1_eta + jet1_eta ** 2) / (2 * (1 - rho * rho)) - 0.5 * math.log(1 - rho * rho)) \
        + 0.5 * (z1 * z1 + jet1_eta ** 2)
    columns += [rng.gamma(3, 0.33, rows), np.clip(z1, -2.5, 2.5), rng.uniform(-1.74, 1.74, rows),
                rng.gamma(2.5, 0.4, rows), rng.uniform(-1.74, 1.74, rows)]
    btag_values = np.array([0.0, 1.0865, 2.1731])
    for jet in range(4):
        scale_signal = 0.39 if jet < 2 else 0.33
        pt = np.where(signal, rng.gamma(3, scale_signal, rows), rng.gamma(3, 0.33 if jet >= 2 else 0.36, rows))
        scale_background = 0.33 if jet >= 2 else 0.36
        log_ratio += np.log(gamma_density(pt, 3, scale_signal)) - np.log(gamma_density(pt, 3, scale_background))
        eta = jet1_eta if jet == 0 else rng.normal(size=rows)
        background_tags = np.array([0.62, 0.14, 0.24])
        signal_tags = background_tags if jet >= 2 else np.array([0.46, 0.14, 0.40])
        u = rng.random(rows)
        tag = np.where(signal, (u > signal_tags[0]).astype(int) + (u > signal_tags[0] + signal_tags[1]),
                       (u > background_tags[0]).astype(int) + (u > background_tags[0] + background_tags[1]))
        log_ratio += np.log(signal_tags[tag]) - np.log(background_tags[tag])
        columns += [pt, np.clip(eta, -2.5, 2.5), rng.uniform(-1.74, 1.74, rows), btag_values[tag]]
    # masses: a mixture of a narrow peak |N(peak, width)| (weight `peak_fraction`) and a log-normal
    def draw(parameters):
        fraction, peak, width, log_mean, log_sd = parameters
        pick = rng.random(rows) < fraction
        return np.where(pick, np.abs(rng.normal(peak, width, rows)), rng.lognormal(log_mean, log_sd, rows))
    def density(x, parameters):
        fraction, peak, width, log_mean, log_sd = parameters
        return fraction * (normal_density(x, peak, width) + normal_density(-x, peak, width)) + (1 - fraction) * lognormal_density(x, log_mean, log_sd)
    masses = [  # (signal, background) for m_jj, m_jjj, m_lv, m_jlv, m_bb, m_wbb, m_wwbb
        ((0, 1, 1, 0.0, 0.40), (0, 1, 1, 0.0, 0.40)),
        ((0, 1, 1, 0.0, 0.25), (0, 1, 1, 0.02, 0.27)),
        ((0.80, 0.985, 0.03, 0.05, 0.3), (0.55, 0.985, 0.03, 0.05, 0.3)),
        ((0, 1, 1, 0.0, 0.27), (0, 1, 1, 0.05, 0.33)),
        ((0.30, 1.0, 0.12, 0.05, 0.45), (0, 1.0, 0.12, 0.05, 0.45)),
        ((0, 1, 1, -0.02, 0.25), (0, 1, 1, 0.02, 0.28)),
        ((0, 1, 1, 0.02, 0.22), (0, 1, 1, -0.05, 0.30)),
    ]
    for signal_parameters, background_parameters in masses:
        value = np.where(signal, draw(signal_parameters), draw(background_parameters))
        log_ratio += np.log(density(value, signal_parameters)) - np.log(density(value, background_parameters))
        columns.append(value)
    return label, np.stack(columns, axis=1), 1 / (1 + np.exp(-log_ratio))

def check(rng):
    label, features, bayes = higgs_rows(200_000, rng)
    accuracy = np.mean((bayes > 0.5) == (label == 1))
    entropy = -np.mean(label * np.log(bayes) + (1 - label) * np.log(1 - bayes))
    standardized = (features - features.mean(0)) / features.std(0)
    design = np.hstack([standardized, np.ones((len(label), 1))])
    weights = np.zeros(design.shape[1])
    for _ in range(8):  # Newton's method for logistic regression
        p = 1 / (1 + np.exp(-design @ weights))
        weights -= np.linalg.solve((design * (p * (1 - p))[:, None]).T @ design, design.T @ (p - label))
    p = 1 / (1 + np.exp(-design @ weights))
    print("HIGGS stand-in: Bayes accuracy %.3f, cross-entropy %.3f; logistic regression %.3f, %.3f" % (
        accuracy, entropy, np.mean((p > 0.5) == (label == 1)), -np.mean(label * np.log(p) + (1 - label) * np.log(1 - p))))

if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--check"]
    folder = arguments[0]
    rows = int(arguments[1]) if len(arguments) > 1 else 60000
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(2026)
    with open(os.path.join(folder, "auto-mpg.data"), "w") as out:
        out.write("\n".join(auto_mpg_lines(rng)) + "\n")
    label, features, _ = higgs_rows(rows, rng)
    with gzip.open(os.path.join(folder, "HIGGS.csv.gz"), "wt", compresslevel=6) as out:
        for row in range(rows):
            out.write(",".join("%.18e" % v for v in [label[row]] + list(features[row])) + "\n")
    if "--check" in sys.argv:
        check(rng)
    print("wrote", folder)
