# Synthetic HIGGS-shaped data for tiny_steps_keras.py and tiny_steps_torch.py: 28 standard-normal
# features and a noisy linear label, 10,000 training rows (20 steps of 500) and 1,000 validation rows.
import numpy as np

HIDDEN = {"tiny": [16], "small": [16, 16], "medium": [64, 64, 64], "large": [512, 512, 512, 512]}


def higgs_shaped(seed=7, train_rows=10_000, validation_rows=1_000, features=28):
    rng = np.random.default_rng(seed)
    weights = rng.standard_normal(features).astype("float32")

    def rows(count):
        x = rng.standard_normal((count, features)).astype("float32")
        y = ((x @ weights + rng.standard_normal(count).astype("float32")) > 0).astype("float32").reshape(-1, 1)
        return x, y

    return rows(train_rows), rows(validation_rows)
