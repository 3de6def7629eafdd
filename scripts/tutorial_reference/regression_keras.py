# The regression tutorial's own Keras code (tensorflow/docs site/en/tutorials/keras/regression.ipynb, without the
# plots) run on a local auto-mpg.data, so that Kestrel's Examples/Regression can be compared with Keras on the
# same rows (Docs/Tutorials.md). Run: ~/.venvs/tf/bin/python scripts/tutorial_reference/regression_keras.py auto-mpg.data
# This machine's Python has no pandas: the file is read as pd.read_csv(na_values='?', comment='\t', sep=' ',
# skipinitialspace=True).dropna() reads it, Origin one-hot as pd.get_dummies (Europe, Japan, USA), and
# dataset.sample(frac=0.8, random_state=0) is RandomState(0).choice(n, round(0.8 n), replace=False), as pandas does.
import sys, time
import numpy as np, tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

rows = []
for line in open(sys.argv[1]):
    fields = line.split('\t')[0].split()
    if len(fields) == 8 and '?' not in fields:
        rows.append([float(f) for f in fields])
data = np.array(rows, dtype=np.float64)
origin = data[:, 7]
features = np.column_stack([data[:, 1:7], origin == 2, origin == 3, origin == 1]).astype(np.float32)  # Europe, Japan, USA
labels = data[:, 0].astype(np.float32)
train_index = np.random.RandomState(0).choice(len(data), int(round(0.8 * len(data))), replace=False)
test_index = np.setdiff1d(np.arange(len(data)), train_index)
train_features, test_features = features[train_index], features[test_index]
train_labels, test_labels = labels[train_index], labels[test_index]
HORSEPOWER = 2
normalizer = tf.keras.layers.Normalization(axis=-1)
normalizer.adapt(train_features)
horsepower = train_features[:, HORSEPOWER]
horsepower_normalizer = layers.Normalization(input_shape=[1,], axis=None)
horsepower_normalizer.adapt(horsepower)

def build_and_compile_model(norm):
    model = keras.Sequential([norm, layers.Dense(64, activation='relu'), layers.Dense(64, activation='relu'), layers.Dense(1)])
    model.compile(loss='mean_absolute_error', optimizer=tf.keras.optimizers.Adam(0.001))
    return model

def linear(norm):
    model = tf.keras.Sequential([norm, layers.Dense(units=1)])
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.1), loss='mean_absolute_error')
    return model

test_results = {}
for name, model, features, test in [
        ('horsepower_model', linear(horsepower_normalizer), train_features[:, HORSEPOWER], test_features[:, HORSEPOWER]),
        ('linear_model', linear(normalizer), train_features, test_features),
        ('dnn_horsepower_model', build_and_compile_model(horsepower_normalizer), train_features[:, HORSEPOWER], test_features[:, HORSEPOWER]),
        ('dnn_model', build_and_compile_model(normalizer), train_features, test_features)]:
    started = time.time()
    history = model.fit(features, train_labels, epochs=100, verbose=0, validation_split=0.2)
    test_results[name] = model.evaluate(test, test_labels, verbose=0)
    print("%-22s test MAE %.3f  last loss %.3f val_loss %.3f  (%.1f s)" % (
        name, test_results[name], history.history['loss'][-1], history.history['val_loss'][-1], time.time() - started))
