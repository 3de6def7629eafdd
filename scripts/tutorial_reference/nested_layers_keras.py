"""Keras 3 reference for KerasHabitsTests (a user's layer holding layers; add_loss from a skipped branch).

1. Writes Tests/Fixtures/keras/custom/nested_block.keras: Sequential([Input(2), Block(), Dense(1)]) where the
   registered Block ("Tutorial>Block") holds Linear(3) and Linear(1) as linear_1/linear_2 plus its own weight
   `scale`; fixed weights; prints its predictions and the HDF5 paths Keras writes (layers/block/linear_1/vars/0…).
2. A layer whose ActivityRegularization sub-layer runs only when training: prints evaluate after a training
   call (Keras clears the sub-layer's loss at the next outer call, so evaluate is the mse alone) and
   layer.losses after a call that skipped it.
Usage: ~/.venvs/tf/bin/python scripts/tutorial_reference/nested_layers_keras.py
"""
import os, pathlib, zipfile, io

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import h5py
import keras
import numpy as np
from keras import ops

root = pathlib.Path(__file__).resolve().parents[2] / "Tests/Fixtures/keras/custom"


@keras.saving.register_keras_serializable(package="Tutorial")
class Linear(keras.layers.Layer):
    def __init__(self, units=32, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b

    def get_config(self):
        return {**super().get_config(), "units": self.units}


@keras.saving.register_keras_serializable(package="Tutorial")
class Block(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.linear_1 = Linear(3)
        self.linear_2 = Linear(1)

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(1,), initializer="ones", trainable=True, name="scale")

    def call(self, inputs):
        return self.linear_2(keras.activations.relu(self.linear_1(inputs))) * self.scale


model = keras.Sequential([keras.Input((2,)), Block(name="block"), keras.layers.Dense(1, name="dense")])
block = model.layers[0]
block.scale.assign(np.array([1.5], "float32"))
block.linear_1.set_weights([np.array([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]], "float32"), np.array([0.01, 0.02, 0.03], "float32")])
block.linear_2.set_weights([np.array([[1.0], [-1.0], [0.5]], "float32"), np.array([0.25], "float32")])
model.layers[1].set_weights([np.array([[2.0]], "float32"), np.array([-0.5], "float32")])
x = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5], [-1.0, 1.0]], "float32")
print("predict", model.predict(x, verbose=0).ravel().tolist())
model.save(root / "nested_block.keras")
with zipfile.ZipFile(root / "nested_block.keras") as archive:
    weights = h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r")
    paths = []
    weights.visititems(lambda name, item: paths.append(name) if isinstance(item, h5py.Dataset) else None)
    print("datasets", paths)


class ActivityRegularizationLayer(keras.layers.Layer):
    def __init__(self, rate=1e-2):
        super().__init__()
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * ops.mean(inputs))
        return inputs


class TrainingOnlyPenalty(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.reg = ActivityRegularizationLayer(0.5)

    def call(self, inputs, training=None):
        if training:
            inputs = self.reg(inputs)
        return inputs


penalized = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1), TrainingOnlyPenalty()])
penalized.layers[0].set_weights([np.array([[1.0], [2.0]], "float32"), np.array([0.5], "float32")])
penalized.compile(optimizer="sgd", loss="mse")
y = np.array([[1.0], [0.0], [2.0], [-1.0]], "float32")
_ = penalized(x, training=True)
print("losses after a training call", [float(v) for v in penalized.losses])
print("evaluate after a training call", penalized.evaluate(x, y, batch_size=4, verbose=0))
_ = penalized(x, training=False)
print("losses after an inference call", [float(v) for v in penalized.losses])
