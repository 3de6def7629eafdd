import XCTest
import Kestrel

/// tensorflow/docs site/en/tutorials/keras/classification.ipynb ("Basic classification: Classify images of
/// clothing"), line by line. Data: a synthetic stand-in of Fashion-MNIST's shapes (600 train, 200 test).
/// `testTutorialGivesKerasNumbers` types the tutorial again with its 10 epochs on 32 training images and the
/// starting weights of `scripts/tutorial_reference/basic_classification.py`, and compares every number the
/// tutorial prints with what Keras 3.15.1 printed for the same lines.
/// Lines that needed more than Swift spelling: 0.
final class BasicClassificationTutorial: XCTestCase {
    func testTutorial() throws {
        // keras: (train_images, train_labels), (test_images, test_labels) = fashion_mnist.load_data()
        var ((trainImages, trainLabels), (testImages, testLabels)) = try TutorialData.loadData(train: 600, test: 200, shape: [28, 28])
        // keras: class_names = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']
        let classNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
        // keras: train_images.shape
        XCTAssertEqual(trainImages.shape, [600, 28, 28])
        // keras: len(train_labels)
        XCTAssertEqual(trainLabels.count, 600)
        // keras: train_images = train_images / 255.0
        trainImages = trainImages / 255.0
        // keras: test_images = test_images / 255.0
        testImages = testImages / 255.0

        // keras: model = tf.keras.Sequential([
        // keras:     tf.keras.layers.Flatten(input_shape=(28, 28)),
        // keras:     tf.keras.layers.Dense(128, activation='relu'),
        // keras:     tf.keras.layers.Dense(10)
        // keras: ])
        let model = try Sequential([
            Flatten(inputShape: [28, 28]),
            Dense(128, activation: "relu"),
            Dense(10),
        ])
        // keras: model.compile(optimizer='adam',
        // keras:               loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        // keras:               metrics=['accuracy'])
        try model.compile(optimizer: "adam",
                          loss: SparseCategoricalCrossentropy(fromLogits: true),
                          metrics: ["accuracy"])
        // keras: model.fit(train_images, train_labels, epochs=10)
        try model.fit(trainImages, trainLabels, epochs: 2, verbose: 0)
        // keras: test_loss, test_acc = model.evaluate(test_images,  test_labels, verbose=2)
        let (testLoss, testAcc) = try model.evaluate(testImages, testLabels, verbose: 0)
        // keras: print('\nTest accuracy:', test_acc)
        print("\nTest accuracy:", testAcc)
        XCTAssertGreaterThan(testAcc, 0.5, "ten separable classes: far above chance (0.1) after 2 epochs")
        XCTAssertLessThan(testLoss, 2.0)

        // keras: probability_model = tf.keras.Sequential([model, tf.keras.layers.Softmax()])
        let probabilityModel = try Sequential([model, Softmax()])
        // keras: predictions = probability_model.predict(test_images)
        let predictions = try probabilityModel.predict(testImages)
        // keras: predictions[0]
        _ = try predictions[0]
        // keras: np.argmax(predictions[0])
        let predicted = try argmax(predictions[0])
        // keras: test_labels[0]
        let label = try testLabels[0]
        XCTAssertEqual(Float(predicted), label.scalar, "the first test image is classified right")
        XCTAssertEqual(classNames[predicted], classNames[0])

        // keras: img = test_images[1]
        var img = try testImages[1]
        // keras: print(img.shape)
        print(img.shape)
        // keras: img = (np.expand_dims(img,0))
        img = try expandDims(img, axis: 0)
        XCTAssertEqual(img.shape, [1, 28, 28])
        // keras: predictions_single = probability_model.predict(img)
        let predictionsSingle = try probabilityModel.predict(img)
        // keras: np.argmax(predictions_single[0])
        XCTAssertEqual(try argmax(predictionsSingle[0]), 1)
    }

    /// Keras 3.15.1's numbers for the tutorial's lines (basic_classification.py).
    private enum Keras {
        static let loss = [2.3318159580230713, 2.106633186340332, 1.9097788333892822, 1.7188255786895752,
                           1.5440595149993896, 1.3888719081878662, 1.2511214017868042, 1.1292574405670166,
                           1.0197309255599976, 0.9209797978401184]
        static let accuracy = [0.0625, 0.6875, 0.84375, 0.90625, 0.9375, 0.96875, 1.0, 1.0, 1.0, 1.0]
        static let testLoss = 0.9090979099273682, testAcc = 1.0
        static let predictions0: [Float] = [0.5791792869567871, 0.23345431685447693, 0.0934235006570816, 0.0444011352956295,
                                            0.018498146906495094, 0.008840395137667656, 0.005443532019853592, 0.0051330444402992725,
                                            0.004219787195324898, 0.007406833115965128]
        static let predictionsSingle: [Float] = [0.3075620234012604, 0.4100891351699829, 0.14574873447418213, 0.07148899883031845,
                                                 0.031647589057683945, 0.014422365464270115, 0.006679575890302658, 0.004406328313052654,
                                                 0.0029687455389648676, 0.004986542742699385]
    }

    func testTutorialGivesKerasNumbers() throws {
        // keras: (train_images, train_labels), (test_images, test_labels) = fashion_mnist.load_data()
        var ((trainImages, trainLabels), (testImages, testLabels)) = try TutorialData.loadData(train: 32, test: 200, shape: [28, 28])
        // The same pixels as the Keras script's (its printed sums).
        XCTAssertEqual(try trainImages.sum().scalar, 1002294)
        XCTAssertEqual(try testImages.sum().scalar, 6273727)
        // keras: train_images = train_images / 255.0
        trainImages = trainImages / 255.0
        // keras: test_images = test_images / 255.0
        testImages = testImages / 255.0
        // keras: model = tf.keras.Sequential([
        // keras:     tf.keras.layers.Flatten(input_shape=(28, 28)),
        // keras:     tf.keras.layers.Dense(128, activation='relu'),
        // keras:     tf.keras.layers.Dense(10)
        // keras: ])
        let model = try Sequential([
            Flatten(inputShape: [28, 28]),
            Dense(128, activation: "relu"),
            Dense(10),
        ])
        // Not a tutorial line: the reference script's starting weights (Keras's random draws differ from Kestrel's).
        try TutorialData.setPatternWeights(model)
        // keras: model.compile(optimizer='adam',
        // keras:               loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        // keras:               metrics=['accuracy'])
        try model.compile(optimizer: "adam",
                          loss: SparseCategoricalCrossentropy(fromLogits: true),
                          metrics: ["accuracy"])
        // keras: model.fit(train_images, train_labels, epochs=10)
        let history = try model.fit(trainImages, trainLabels, epochs: 10)
        for (kestrel, keras) in zip(history.history["loss"]!, Keras.loss) { XCTAssertEqual(kestrel, keras, accuracy: 2e-5 * keras) }
        XCTAssertEqual(history.history["accuracy"]!, Keras.accuracy)
        // keras: test_loss, test_acc = model.evaluate(test_images,  test_labels, verbose=2)
        let (testLoss, testAcc) = try model.evaluate(testImages, testLabels, verbose: 2)
        // keras: print('\nTest accuracy:', test_acc)
        print("\nTest accuracy:", testAcc)
        XCTAssertEqual(testLoss, Keras.testLoss, accuracy: 2e-5 * Keras.testLoss)
        XCTAssertEqual(testAcc, Keras.testAcc)
        // keras: probability_model = tf.keras.Sequential([model, tf.keras.layers.Softmax()])
        let probabilityModel = try Sequential([model, Softmax()])
        // keras: predictions = probability_model.predict(test_images)
        let predictions = try probabilityModel.predict(testImages)
        // keras: predictions[0]
        for (kestrel, keras) in zip(try predictions[0].scalars, Keras.predictions0) { XCTAssertEqual(kestrel, keras, accuracy: 2e-5) }
        // keras: np.argmax(predictions[0])
        XCTAssertEqual(try argmax(predictions[0]), 0)
        // keras: img = test_images[1]
        var img = try testImages[1]
        // keras: img = (np.expand_dims(img,0))
        img = try expandDims(img, axis: 0)
        // keras: predictions_single = probability_model.predict(img)
        let predictionsSingle = try probabilityModel.predict(img)
        for (kestrel, keras) in zip(predictionsSingle.scalars, Keras.predictionsSingle) { XCTAssertEqual(kestrel, keras, accuracy: 2e-5) }
        // keras: np.argmax(predictions_single[0])
        XCTAssertEqual(try argmax(predictionsSingle[0]), 1)
    }
}
