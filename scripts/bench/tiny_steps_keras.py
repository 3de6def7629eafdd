# The loop of TensorFlow's overfit-and-underfit tutorial (HIGGS) in Keras 3: N epochs of 20 steps of
# batch 500, a small ELU network with one logit, BinaryCrossentropy(from_logits) with the metrics
# binary_crossentropy and accuracy, validation on 1,000 rows each epoch, EarlyStopping(patience 200),
# verbose 0 (the tutorial prints dots from its own callback). Prints ms per epoch of a timed fit that
# follows a 2-epoch warm-up fit (graph tracing). Usage: tiny_steps_keras.py [EPOCHS=200] [MODEL=tiny]
import os, sys, time
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras
from tiny_steps_data import HIDDEN, higgs_shaped

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 200
name = sys.argv[2] if len(sys.argv) > 2 else "tiny"
(x, y), (vx, vy) = higgs_shaped()
keras.utils.set_random_seed(0)
layers = [keras.Input(shape=(28,))] + [keras.layers.Dense(u, activation="elu") for u in HIDDEN[name]] + [keras.layers.Dense(1)]
model = keras.Sequential(layers)
model.compile(optimizer=keras.optimizers.Adam(0.001), loss=keras.losses.BinaryCrossentropy(from_logits=True),
              metrics=[keras.metrics.BinaryCrossentropy(from_logits=True, name="binary_crossentropy"), "accuracy"])


def fit(count):
    stop = keras.callbacks.EarlyStopping(monitor="val_binary_crossentropy", patience=200)
    return model.fit(x, y, epochs=count, batch_size=500, validation_data=(vx, vy), callbacks=[stop], verbose=0)


fit(2)
start = time.perf_counter()
history = fit(epochs)
seconds = time.perf_counter() - start
print(f"keras {name} loop: {seconds / epochs * 1000:.3f} ms/epoch over {len(history.history['loss'])} epochs")
