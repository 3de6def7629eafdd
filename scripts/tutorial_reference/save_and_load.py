"""Keras 3 reference for SaveAndLoadTutorial.testTutorialGivesKerasNumbers (TensorFlow's "Save and load models",
tensorflow/docs site/en/tutorials/keras/save_and_load.ipynb, in its Keras 3 form: `.weights.h5` checkpoints,
`.keras` and `.h5` model files): the tutorial's lines on the Swift test's synthetic MNIST stand-in
(tutorial_data.load_data: 64 training and 64 test images instead of the first 1,000) with the same starting
weights (pattern_weights) for the untrained model. Dropout makes training random, so what is compared is
what does not depend on it: the untrained model's evaluate, the checkpoint files save_freq=5*n_batches writes
in 50 epochs, and that every restored model evaluates as the model it was saved from.
Usage: ~/.venvs/tf/bin/python save_and_load.py
"""
import math, os, tempfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tutorial_data import load_data, pattern_weights

os.chdir(tempfile.mkdtemp())
(train_images, train_labels), (test_images, test_labels) = load_data(64, 64, [28, 28])
train_labels = train_labels[:1000]
test_labels = test_labels[:1000]
train_images = train_images[:1000].reshape(-1, 28 * 28) / 255.0
test_images = test_images[:1000].reshape(-1, 28 * 28) / 255.0


def create_model():
    model = tf.keras.Sequential([
        keras.layers.Dense(512, activation='relu', input_shape=(784,)),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(10)
    ])
    model.compile(optimizer='adam',
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=[tf.keras.metrics.SparseCategoricalAccuracy()])
    return model


model = create_model()
model.set_weights(pattern_weights(model))
loss, acc = model.evaluate(test_images, test_labels, verbose=2)
print("untrained", loss, acc)

checkpoint_path = "training_2/cp-{epoch:04d}.weights.h5"
checkpoint_dir = os.path.dirname(checkpoint_path)
batch_size = 32
n_batches = len(train_images) / batch_size
n_batches = math.ceil(n_batches)
cp_callback = tf.keras.callbacks.ModelCheckpoint(
    filepath=checkpoint_path,
    verbose=1,
    save_weights_only=True,
    save_freq=5*n_batches)
model = create_model()
os.makedirs(checkpoint_dir, exist_ok=True)  # Keras 3's save_weights does not make the folder (h5py: No such file)
model.save_weights(checkpoint_path.format(epoch=0))
model.fit(train_images,
          train_labels,
          epochs=50,
          batch_size=batch_size,
          callbacks=[cp_callback],
          validation_data=(test_images, test_labels),
          verbose=0)
print("checkpoints", sorted(os.listdir(checkpoint_dir)))
trained = model.evaluate(test_images, test_labels, verbose=0)
latest = os.path.join(checkpoint_dir, sorted(os.listdir(checkpoint_dir))[-1])
model = create_model()
model.load_weights(latest)
print("restored equals trained", model.evaluate(test_images, test_labels, verbose=0) == trained)

model = create_model()
model.fit(train_images, train_labels, epochs=5, verbose=0)
model.save('my_model.keras')
new_model = tf.keras.models.load_model('my_model.keras')
print("keras file", new_model.evaluate(test_images, test_labels, verbose=0) == model.evaluate(test_images, test_labels, verbose=0),
      new_model.predict(test_images, verbose=0).shape, type(new_model.optimizer).__name__, new_model.optimizer.iterations.numpy())
model.save('my_model.h5')
h5_model = tf.keras.models.load_model('my_model.h5')
print("h5 file", h5_model.evaluate(test_images, test_labels, verbose=0) == model.evaluate(test_images, test_labels, verbose=0))
