"""Keras 3 reference for MakingNewLayersAndModelsGuide.testNestedLayersTrainWithTheirAddedLossAsInKeras.

The guide's Linear and ActivityRegularizationLayer nested in one layer (Linear(3) → relu →
ActivityRegularizationLayer(0.5) → Linear(1)) in a Sequential, with fixed weights: prints predict, evaluate
(mse plus the added loss), layer.losses, the loss of one SGD(0.1) step and the weights after it.
Usage: ~/.venvs/tf/bin/python making_new_layers_and_models.py
"""
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras
import numpy as np
from keras import ops


class ActivityRegularizationLayer(keras.layers.Layer):
    def __init__(self, rate=1e-2):
        super().__init__()
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * ops.mean(inputs))
        return inputs


class Linear(keras.layers.Layer):
    def __init__(self, units=32):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="random_normal", trainable=True)

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b


class SmallBlock(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.linear_1 = Linear(3)
        self.reg = ActivityRegularizationLayer(0.5)
        self.linear_2 = Linear(1)

    def call(self, inputs):
        x = self.linear_1(inputs)
        x = keras.activations.relu(x)
        x = self.reg(x)
        return self.linear_2(x)


model = keras.Sequential([keras.Input((2,)), SmallBlock()])
model.set_weights([np.array([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]], "float32"), np.array([0.01, 0.02, 0.03], "float32"),
                   np.array([[1.0], [-1.0], [0.5]], "float32"), np.array([0.25], "float32")])
print("weights:", len(model.weights))
x = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5], [-1.0, 1.0]], "float32")
y = np.array([[1.0], [0.0], [2.0], [-1.0]], "float32")
print("predict", model.predict(x, verbose=0).ravel().tolist())
model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
print("evaluate", model.evaluate(x, y, batch_size=4, verbose=0))
_ = model(x)
print("losses", [float(loss) for loss in model.losses])
history = model.fit(x, y, epochs=1, batch_size=4, verbose=0, shuffle=False)
print("fit loss", history.history["loss"])
print("weights after one step", [weight.numpy().ravel().tolist() for weight in model.weights])
