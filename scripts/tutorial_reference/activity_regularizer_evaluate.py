"""Keras 3 reference for LayerSubclassingTests.testActivityRegularizerCountsInEvaluateDividedByTheBatchSizeAsInKeras.

Dense(1) with a ones kernel, zero bias and activity_regularizer=L2(0.5) on x = [[1, 2], [3, 4]], y = 0:
evaluate prints 43.5 (mse 29 plus 0.5 * (9 + 49) / 2: Keras 3 divides the activity penalty by the batch
size and records it in inference too). Usage: ~/.venvs/tf/bin/python activity_regularizer_evaluate.py
"""
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras
import numpy as np

model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, kernel_initializer="ones", bias_initializer="zeros",
                                                                activity_regularizer=keras.regularizers.L2(0.5))])
model.compile(optimizer="sgd", loss="mse")
x = np.array([[1.0, 2.0], [3.0, 4.0]], "float32")
y = np.zeros((2, 1), "float32")
print(model.evaluate(x, y, verbose=0))
