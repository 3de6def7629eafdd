"""The Swift tests' synthetic data and starting weights, bit for bit, for the tutorial reference scripts.

images() is Tests/PortedTutorialsTests/TutorialData.swift's images(count:shape:classes:seed:) (the same 64-bit
LCG, float32 arithmetic, rounding half away from zero), tabular() its tabular(count:features:seed:), and
pattern() its pattern(_:salt:scale:): deterministic starting weights, so Keras and Kestrel start from the same
model (their random initializers differ).
"""
import numpy as np

MULTIPLIER = 6364136223846793005
INCREMENT = 1442695040888963407
MASK = (1 << 64) - 1


def images(count, shape, classes, seed):
    height, width = shape[0], shape[1]
    channels = shape[2] if len(shape) == 3 else 1
    state = (seed * MULTIPLIER + INCREMENT) & MASK
    side = max(2, min(height, width) // 4)
    columns = max(1, width // side)
    pixels = np.zeros(count * height * width * channels, np.float32)
    labels = np.zeros(count, np.float32)
    index = 0
    for sample in range(count):
        label = sample % classes
        labels[sample] = label
        top = (label // columns * side) % max(1, height - side + 1)
        left = (label % columns) * side % max(1, width - side + 1)
        for row in range(height):
            for column in range(width):
                inside = top <= row < top + side and left <= column < left + side
                for _ in range(channels):
                    state = (state * MULTIPLIER + INCREMENT) & MASK
                    value = np.float32(200 if inside else 0) + np.float32(55) * (np.float32(state >> 40) / np.float32(1 << 24))
                    pixels[index] = np.floor(value + np.float32(0.5))
                    index += 1
    return pixels.reshape([count] + list(shape)).astype(np.uint8), labels.astype(np.uint8)


def load_data(train, test, shape, classes=10):
    return images(train, shape, classes, 1), images(test, shape, classes, 2)


def tabular(count, features, seed):
    state = (seed * MULTIPLIER + 1) & MASK
    values, labels = [], []
    for _ in range(count):
        row = []
        for _ in range(features):
            state = (state * MULTIPLIER + INCREMENT) & MASK
            row.append(np.float32(state >> 40) / np.float32(1 << 24))
        values.append(row)
        labels.append(1.0 if row[0] + row[1] > 1 else 0.0)
    return np.array(values, np.float32), np.array(labels, np.float32).reshape(count, 1)


def pattern(shape, salt, scale):
    count = int(np.prod(shape)) if len(shape) else 1
    index = np.arange(count, dtype=np.int64)
    return (((index * 7919 + salt) % 2001 - 1000) / 1000.0 * scale).astype(np.float32).reshape(shape)


def pattern_weights(model):
    """Every weight of `model` from pattern(), salted by its position: a kernel within Glorot's uniform limit
    sqrt(6 / (fan_in + fan_out)) (fans from its first and last dimensions), any other weight within 0.01."""
    values = []
    for position, weight in enumerate(model.get_weights()):
        shape = weight.shape
        scale = float(np.sqrt(6.0 / (shape[0] + shape[-1]))) if len(shape) > 1 else 0.01
        values.append(pattern(shape, 17 * position + 3, scale))
    return values
