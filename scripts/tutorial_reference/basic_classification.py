"""Keras 3 reference for BasicClassificationKerasNumbers (TensorFlow's "Basic classification: Classify images of
clothing", tensorflow/docs site/en/tutorials/keras/classification.ipynb), the tutorial's own lines on the Swift
test's synthetic Fashion-MNIST stand-in (tutorial_data.load_data: 32 training images, so fit's one batch an
epoch makes its shuffle irrelevant, and 200 test images) with the same starting weights (pattern_weights).
Prints the numbers the Swift test compares. Usage: ~/.venvs/tf/bin/python basic_classification.py
"""
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tutorial_data import load_data, pattern_weights

(train_images, train_labels), (test_images, test_labels) = load_data(32, 200, [28, 28])
print("train pixel sum", int(train_images.astype(np.int64).sum()), "test pixel sum", int(test_images.astype(np.int64).sum()))
train_images = train_images / 255.0
test_images = test_images / 255.0
model = tf.keras.Sequential([
    tf.keras.layers.Flatten(input_shape=(28, 28)),
    tf.keras.layers.Dense(128, activation='relu'),
    tf.keras.layers.Dense(10)
])
model.set_weights(pattern_weights(model))
model.compile(optimizer='adam',
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=['accuracy'])
history = model.fit(train_images, train_labels, epochs=10, verbose=0)
print("loss", history.history["loss"])
print("accuracy", history.history["accuracy"])
test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)
print("test_loss", test_loss, "test_acc", test_acc)
probability_model = tf.keras.Sequential([model, tf.keras.layers.Softmax()])
predictions = probability_model.predict(test_images, verbose=0)
print("predictions[0]", predictions[0].tolist())
print("argmax", [int(np.argmax(p)) for p in predictions[:12]])
img = (np.expand_dims(test_images[1], 0))
predictions_single = probability_model.predict(img, verbose=0)
print("predictions_single", predictions_single[0].tolist())
