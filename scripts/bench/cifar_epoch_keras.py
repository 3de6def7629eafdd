# One full epoch of the CIFAR-10 CNN workload in Keras 3 (TensorFlow backend), the twin of
# cifar_epoch_torch.py and of `Benchmarks cifar-epoch`: Conv64-Conv64-MaxPool-Conv128-Flatten-Dense256-Dense10
# (3×3 'same' convolutions, ReLU, softmax), Adam (Keras default 1e-3), batch 128,
# model.fit(x, y, epochs=1, validation_data=(vx, vy)) over 50,000 shuffled training and 10,000 validation images.
# Real CIFAR-10 when its archive is present (common.cifar10_archive), seeded uniform pixels otherwise.
# Prints epoch seconds (after a warm-up fit on 208 + 144 images that traces both batch shapes), training
# samples per second over that epoch, and the process's peak RSS. Usage: cifar_epoch_keras.py [TRAIN=50000] [VAL=10000] [STEPS]
# STEPS keeps the whole set in memory but trains and validates on only that many batches
# (steps_per_epoch / validation_steps: peak RSS of the epoch's set-up in a short run).
import os, sys, time
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import keras
from keras import layers
from common import cifar10_epoch_data, current_rss_mb, peak_rss_mb

train_count = int(sys.argv[1]) if len(sys.argv) > 1 else 50000
val_count = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
steps = int(sys.argv[3]) if len(sys.argv) > 3 else None
(x, y), (vx, vy), source = cifar10_epoch_data(train_count, val_count)
data_rss = current_rss_mb()
keras.utils.set_random_seed(0)
model = keras.Sequential([layers.Input(shape=(32, 32, 3)),
    layers.Conv2D(64, 3, activation="relu", padding="same"), layers.Conv2D(64, 3, activation="relu", padding="same"),
    layers.MaxPooling2D(), layers.Conv2D(128, 3, activation="relu", padding="same"),
    layers.Flatten(), layers.Dense(256, activation="relu"), layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x[:208], y[:208], epochs=1, batch_size=128, validation_data=(vx[:144], vy[:144]), verbose=0)  # warm-up
start = time.time()
history = model.fit(x, y, epochs=1, batch_size=128, validation_data=(vx, vy), verbose=0,
                    steps_per_epoch=steps, validation_steps=steps)
seconds = time.time() - start
h = {key: values[-1] for key, values in history.history.items()}
print(f"data: {source}; {len(x)} train + {len(vx)} validation images; keras {keras.__version__}"
      + ("" if steps is None else f"; only {steps} training and validation batches (STEPS)"))
trained = len(x) if steps is None else min(len(x), steps * 128)
print(f"loss {h['loss']:.4f} accuracy {h['accuracy']:.4f} val_loss {h['val_loss']:.4f} val_accuracy {h['val_accuracy']:.4f}")
print(f"cifar-epoch keras epoch_seconds {seconds:.2f} training_samples_per_second {trained / seconds:.1f} "
      f"peak_rss_mb {peak_rss_mb():.0f} rss_after_data_mb {data_rss:.0f}")
