"""Keras 3 reference for OverfitAndUnderfitTutorial.testTutorialGivesKerasNumbers (TensorFlow's "Overfit and
underfit", tensorflow/docs site/en/tutorials/keras/overfit_and_underfit.ipynb): the tutorial's own lines for
the tiny, small, medium and large models and the L2 model, on a synthetic stand-in of its Higgs data
(tutorial_data.tabular: 1,200 rows of 28 features, a 0/1 label), with these departures, the same in the Swift
test: no download (packed_ds from the arrays), 1,000 training and 200 validation rows in batches of 100, no
shuffle (Keras's and Kestrel's random orders differ), the same starting weights (pattern_weights), 10 epochs
at most instead of 10,000, and no tfdocs.EpochDots. The dropout models are run for their history keys only
(a dropout mask is random). Usage: ~/.venvs/tf/bin/python overfit_and_underfit.py
"""
import os, tempfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers, regularizers
from tutorial_data import tabular, pattern_weights

logdir = tempfile.mkdtemp()
FEATURES = 28
features, labels = tabular(1200, FEATURES, 3)
print("feature sum", float(features.astype(np.float64).sum()), "positives", int(labels.sum()))
packed_ds = tf.data.Dataset.from_tensor_slices((features, labels.reshape(-1)))
N_VALIDATION = 200
N_TRAIN = 1000
BATCH_SIZE = 100
STEPS_PER_EPOCH = N_TRAIN // BATCH_SIZE
validate_ds = packed_ds.take(N_VALIDATION).cache()
train_ds = packed_ds.skip(N_VALIDATION).take(N_TRAIN).cache()
validate_ds = validate_ds.batch(BATCH_SIZE)
train_ds = train_ds.repeat().batch(BATCH_SIZE)
lr_schedule = tf.keras.optimizers.schedules.InverseTimeDecay(
    0.001, decay_steps=STEPS_PER_EPOCH * 1000, decay_rate=1, staircase=False)


def get_optimizer():
    return tf.keras.optimizers.Adam(lr_schedule)


def get_callbacks(name):
    return [
        tf.keras.callbacks.EarlyStopping(monitor='val_binary_crossentropy', patience=200),
        tf.keras.callbacks.TensorBoard(os.path.join(logdir, name)),
    ]


def compile_and_fit(model, name, optimizer=None, max_epochs=10):
    if optimizer is None:
        optimizer = get_optimizer()
    model.set_weights(pattern_weights(model))
    model.compile(optimizer=optimizer,
                  loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
                  metrics=[
                      tf.keras.losses.BinaryCrossentropy(
                          from_logits=True, name='binary_crossentropy'),
                      'accuracy'])
    history = model.fit(
        train_ds,
        steps_per_epoch=STEPS_PER_EPOCH,
        epochs=max_epochs,
        validation_data=validate_ds,
        callbacks=get_callbacks(name),
        verbose=0)
    return history


def report(name, history):
    print(name, "keys", sorted(history.history.keys()))
    for key in ["loss", "binary_crossentropy", "accuracy", "val_loss", "val_binary_crossentropy", "val_accuracy"]:
        print(name, key, history.history[key])


size_histories = {}
tiny_model = tf.keras.Sequential([
    layers.Dense(16, activation='elu', input_shape=(FEATURES,)),
    layers.Dense(1)
])
size_histories['Tiny'] = compile_and_fit(tiny_model, 'sizes/Tiny')
small_model = tf.keras.Sequential([
    layers.Dense(16, activation='elu', input_shape=(FEATURES,)),
    layers.Dense(16, activation='elu'),
    layers.Dense(1)
])
size_histories['Small'] = compile_and_fit(small_model, 'sizes/Small')
medium_model = tf.keras.Sequential([
    layers.Dense(64, activation='elu', input_shape=(FEATURES,)),
    layers.Dense(64, activation='elu'),
    layers.Dense(64, activation='elu'),
    layers.Dense(1)
])
size_histories['Medium'] = compile_and_fit(medium_model, "sizes/Medium")
large_model = tf.keras.Sequential([
    layers.Dense(512, activation='elu', input_shape=(FEATURES,)),
    layers.Dense(512, activation='elu'),
    layers.Dense(512, activation='elu'),
    layers.Dense(512, activation='elu'),
    layers.Dense(1)
])
size_histories['large'] = compile_and_fit(large_model, "sizes/large")
for name, history in size_histories.items():
    report(name, history)

regularizer_histories = {}
regularizer_histories['Tiny'] = size_histories['Tiny']
l2_model = tf.keras.Sequential([
    layers.Dense(512, activation='elu',
                 kernel_regularizer=regularizers.l2(0.001),
                 input_shape=(FEATURES,)),
    layers.Dense(512, activation='elu',
                 kernel_regularizer=regularizers.l2(0.001)),
    layers.Dense(512, activation='elu',
                 kernel_regularizer=regularizers.l2(0.001)),
    layers.Dense(512, activation='elu',
                 kernel_regularizer=regularizers.l2(0.001)),
    layers.Dense(1)
])
regularizer_histories['l2'] = compile_and_fit(l2_model, "regularizers/l2")
report("l2", regularizer_histories['l2'])
result = l2_model(features[:3])
print("l2 losses", float(tf.add_n(l2_model.losses)))

dropout_model = tf.keras.Sequential([
    layers.Dense(512, activation='elu', input_shape=(FEATURES,)),
    layers.Dropout(0.5),
    layers.Dense(512, activation='elu'),
    layers.Dropout(0.5),
    layers.Dense(512, activation='elu'),
    layers.Dropout(0.5),
    layers.Dense(512, activation='elu'),
    layers.Dropout(0.5),
    layers.Dense(1)
])
regularizer_histories['dropout'] = compile_and_fit(dropout_model, "regularizers/dropout", max_epochs=2)
print("dropout keys", sorted(regularizer_histories['dropout'].history.keys()))
