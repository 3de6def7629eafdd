"""Keras 3 reference for Tests/PortedTutorialsTests/WritingYourOwnCallbacksGuide.swift.

Runs the guide's get_model() and a callback recording every hook with its sorted log keys for the guide's
fit (batch 128, 1 epoch, validation_split 0.5 on 1,000 rows), evaluate and predict calls, and prints them;
also prints History's keys after a callback sets optimizer.learning_rate. The data are random (the call
order and keys do not depend on them). Usage: ~/.venvs/tf/bin/python writing_your_own_callbacks.py
"""
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras
import numpy as np

rng = np.random.default_rng(0)
x = rng.random((1000, 784)).astype("float32")
y = rng.integers(0, 10, 1000)


def get_model():
    model = keras.Sequential()
    model.add(keras.layers.Dense(1))
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=0.1), loss="mean_squared_error",
                  metrics=["mean_absolute_error"])
    return model


events = []


class RecordingCallback(keras.callbacks.Callback):
    pass


def _record_without_index(hook):
    return lambda self, logs=None: events.append((hook, sorted((logs or {}).keys())))


def _record_with_index(hook):
    return lambda self, index, logs=None: events.append((hook, index, sorted((logs or {}).keys())))


for name in ["on_train_begin", "on_train_end", "on_test_begin", "on_test_end", "on_predict_begin", "on_predict_end"]:
    setattr(RecordingCallback, name, _record_without_index(name))
for name in ["on_epoch_begin", "on_epoch_end", "on_train_batch_begin", "on_train_batch_end", "on_test_batch_begin",
             "on_test_batch_end", "on_predict_batch_begin", "on_predict_batch_end"]:
    setattr(RecordingCallback, name, _record_with_index(name))

model = get_model()
model.fit(x, y, batch_size=128, epochs=1, verbose=0, validation_split=0.5, callbacks=[RecordingCallback()])
for event in events:
    print(event)
for label, call in [("evaluate", lambda: model.evaluate(x, y, batch_size=128, verbose=0, callbacks=[RecordingCallback()])),
                    ("predict", lambda: model.predict(x, batch_size=128, verbose=0, callbacks=[RecordingCallback()]))]:
    print("---", label)
    events.clear()
    call()
    for event in events:
        print(event)


class SetRate(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.model.optimizer.learning_rate = 0.05 if epoch >= 1 else 0.1


history = get_model().fit(x, y, batch_size=64, epochs=3, verbose=0, callbacks=[SetRate()])
print("History keys:", list(history.history.keys()))
