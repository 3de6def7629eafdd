import XCTest
import Kestrel

/// tensorflow/docs site/en/tutorials/images/classification.ipynb ("Image classification"), line by line from
/// the model on. Data: synthetic 5-class images of a smaller size (48×48 instead of 180×180; 160 train,
/// 40 validation) as a `Dataset` instead of `image_dataset_from_directory`; 2 epochs.
/// Lines that needed more than Swift spelling: 1 (`np.max(score)` is `score.max()`). The image
/// to classify is one of the validation images instead of the downloaded sunflower.
final class ImageClassificationTutorial: XCTestCase {
    func testTutorial() throws {
        // keras: batch_size = 32
        let batchSize = 32
        // keras: img_height = 180
        let imgHeight = 48
        // keras: img_width = 180
        let imgWidth = 48
        let (x, y) = try TutorialData.images(count: 200, shape: [imgHeight, imgWidth, 3], classes: 5, seed: 4)
        let trainDs = try Dataset(x: try x[..<160].scalars, xShape: [160, imgHeight, imgWidth, 3], y: try y[..<160].scalars, yShape: [160]).batch(batchSize)
        let valDs = try Dataset(x: try x[160...].scalars, xShape: [40, imgHeight, imgWidth, 3], y: try y[160...].scalars, yShape: [40]).batch(batchSize)
        // keras: class_names = train_ds.class_names
        let classNames = ["daisy", "dandelion", "roses", "sunflowers", "tulips"]
        // keras: num_classes = len(class_names)
        let numClasses = classNames.count

        // keras: model = Sequential([
        // keras:   layers.Rescaling(1./255, input_shape=(img_height, img_width, 3)),
        // keras:   layers.Conv2D(16, 3, padding='same', activation='relu'),
        // keras:   layers.MaxPooling2D(),
        // keras:   layers.Conv2D(32, 3, padding='same', activation='relu'),
        // keras:   layers.MaxPooling2D(),
        // keras:   layers.Conv2D(64, 3, padding='same', activation='relu'),
        // keras:   layers.MaxPooling2D(),
        // keras:   layers.Flatten(),
        // keras:   layers.Dense(128, activation='relu'),
        // keras:   layers.Dense(num_classes)
        // keras: ])
        var model = try Sequential([
            Rescaling(1.0 / 255, inputShape: [imgHeight, imgWidth, 3]),
            Conv2D(16, 3, padding: "same", activation: "relu"),
            MaxPooling2D(),
            Conv2D(32, 3, padding: "same", activation: "relu"),
            MaxPooling2D(),
            Conv2D(64, 3, padding: "same", activation: "relu"),
            MaxPooling2D(),
            Flatten(),
            Dense(128, activation: "relu"),
            Dense(numClasses),
        ])
        // keras: model.compile(optimizer='adam',
        // keras:               loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        // keras:               metrics=['accuracy'])
        try model.compile(optimizer: "adam",
                          loss: SparseCategoricalCrossentropy(fromLogits: true),
                          metrics: ["accuracy"])
        // keras: model.summary()
        model.summary()
        // keras: epochs=10
        var epochs = 2
        // keras: history = model.fit(
        // keras:   train_ds,
        // keras:   validation_data=val_ds,
        // keras:   epochs=epochs
        // keras: )
        var history = try model.fit(
            trainDs,
            epochs: epochs,
            validationData: valDs,
            verbose: 0
        )
        // keras: acc = history.history['accuracy']
        let acc = history.history["accuracy"]!
        // keras: val_acc = history.history['val_accuracy']
        let valAcc = history.history["val_accuracy"]!
        XCTAssertEqual(acc.count, 2)
        XCTAssertEqual(valAcc.count, 2)
        XCTAssertLessThan(history["loss"]![1], history["loss"]![0])

        // keras: data_augmentation = keras.Sequential(
        // keras:   [
        // keras:     layers.RandomFlip("horizontal",
        // keras:                       input_shape=(img_height,
        // keras:                                   img_width,
        // keras:                                   3)),
        // keras:     layers.RandomRotation(0.1),
        // keras:     layers.RandomZoom(0.1),
        // keras:   ]
        // keras: )
        let dataAugmentation = try Sequential(
            [
                RandomFlip("horizontal",
                           inputShape: [imgHeight,
                                        imgWidth,
                                        3]),
                RandomRotation(0.1),
                RandomZoom(0.1),
            ]
        )
        // keras: model = Sequential([
        // keras:   data_augmentation,
        // keras:   layers.Rescaling(1./255),
        // keras:   layers.Conv2D(16, 3, padding='same', activation='relu'),
        // keras:   layers.MaxPooling2D(),
        // keras:   layers.Conv2D(32, 3, padding='same', activation='relu'),
        // keras:   layers.MaxPooling2D(),
        // keras:   layers.Conv2D(64, 3, padding='same', activation='relu'),
        // keras:   layers.MaxPooling2D(),
        // keras:   layers.Dropout(0.2),
        // keras:   layers.Flatten(),
        // keras:   layers.Dense(128, activation='relu'),
        // keras:   layers.Dense(num_classes, name="outputs")
        // keras: ])
        model = try Sequential([
            dataAugmentation,
            Rescaling(1.0 / 255),
            Conv2D(16, 3, padding: "same", activation: "relu"),
            MaxPooling2D(),
            Conv2D(32, 3, padding: "same", activation: "relu"),
            MaxPooling2D(),
            Conv2D(64, 3, padding: "same", activation: "relu"),
            MaxPooling2D(),
            Dropout(0.2),
            Flatten(),
            Dense(128, activation: "relu"),
            Dense(numClasses, name: "outputs"),
        ])
        // keras: model.compile(optimizer='adam',
        // keras:               loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        // keras:               metrics=['accuracy'])
        try model.compile(optimizer: "adam",
                          loss: SparseCategoricalCrossentropy(fromLogits: true),
                          metrics: ["accuracy"])
        // keras: epochs = 15
        epochs = 2
        // keras: history = model.fit(
        // keras:   train_ds,
        // keras:   validation_data=val_ds,
        // keras:   epochs=epochs
        // keras: )
        history = try model.fit(
            trainDs,
            epochs: epochs,
            validationData: valDs,
            verbose: 0
        )
        XCTAssertEqual(history["val_loss"]?.count, 2)

        // keras: img_array = tf.keras.utils.img_to_array(img)
        var imgArray = try x[160] 
        // keras: img_array = tf.expand_dims(img_array, 0) # Create a batch
        imgArray = try expandDims(imgArray, axis: 0) // Create a batch
        // keras: predictions = model.predict(img_array)
        let predictions = try model.predict(imgArray)
        // keras: score = tf.nn.softmax(predictions[0])
        let score = try softmax(predictions[0])
        // keras: print(
        // keras:     "This image most likely belongs to {} with a {:.2f} percent confidence."
        // keras:     .format(class_names[np.argmax(score)], 100 * np.max(score))
        // keras: )
        // beyond spelling: np.max(score) is score.max()
        print(
            "This image most likely belongs to \(classNames[try argmax(score)]) with a \(100 * (try score.max().scalar ?? 0)) percent confidence."
        )
        XCTAssertEqual(score.scalars.reduce(0, +), 1, accuracy: 1e-5)
    }
}
