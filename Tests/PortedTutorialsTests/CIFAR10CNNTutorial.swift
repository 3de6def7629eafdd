import XCTest
import Kestrel

/// tensorflow/docs site/en/tutorials/images/cnn.ipynb ("Convolutional Neural Network (CNN)" on CIFAR-10),
/// line by line. Data: a synthetic stand-in of CIFAR-10's shapes (300 train, 100 test); 2 epochs instead of 10.
/// Lines that needed more than Swift spelling: 0.
final class CIFAR10CNNTutorial: XCTestCase {
    func testTutorial() throws {
        // keras: (train_images, train_labels), (test_images, test_labels) = datasets.cifar10.load_data()
        var ((trainImages, trainLabels), (testImages, testLabels)) = try TutorialData.loadData(train: 300, test: 100, shape: [32, 32, 3])
        // keras: train_images, test_images = train_images / 255.0, test_images / 255.0
        (trainImages, testImages) = (trainImages / 255.0, testImages / 255.0)

        // keras: model = models.Sequential()
        let model = try Sequential()
        // keras: model.add(layers.Conv2D(32, (3, 3), activation='relu', input_shape=(32, 32, 3)))
        try model.add(Conv2D(32, (3, 3), activation: "relu", inputShape: [32, 32, 3]))
        // keras: model.add(layers.MaxPooling2D((2, 2)))
        try model.add(MaxPooling2D((2, 2)))
        // keras: model.add(layers.Conv2D(64, (3, 3), activation='relu'))
        try model.add(Conv2D(64, (3, 3), activation: "relu"))
        // keras: model.add(layers.MaxPooling2D((2, 2)))
        try model.add(MaxPooling2D((2, 2)))
        // keras: model.add(layers.Conv2D(64, (3, 3), activation='relu'))
        try model.add(Conv2D(64, (3, 3), activation: "relu"))
        // keras: model.summary()
        model.summary()
        // keras: model.add(layers.Flatten())
        try model.add(Flatten())
        // keras: model.add(layers.Dense(64, activation='relu'))
        try model.add(Dense(64, activation: "relu"))
        // keras: model.add(layers.Dense(10))
        try model.add(Dense(10))
        // keras: model.summary()
        model.summary()
        XCTAssertEqual(model.countParams(), 122_570, "the tutorial's summary: Total params: 122,570")

        // keras: model.compile(optimizer='adam',
        // keras:               loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        // keras:               metrics=['accuracy'])
        try model.compile(optimizer: "adam",
                          loss: SparseCategoricalCrossentropy(fromLogits: true),
                          metrics: ["accuracy"])
        // keras: history = model.fit(train_images, train_labels, epochs=10,
        // keras:                     validation_data=(test_images, test_labels))
        let history = try model.fit(trainImages, trainLabels, epochs: 2,
                                    validationData: (testImages, testLabels), verbose: 0)
        // keras: plt.plot(history.history['accuracy'], label='accuracy')
        let accuracy = history.history["accuracy"]!
        XCTAssertEqual(accuracy.count, 2)
        // keras: test_loss, test_acc = model.evaluate(test_images,  test_labels, verbose=2)
        let (testLoss, testAcc) = try model.evaluate(testImages, testLabels, verbose: 0)
        // keras: print(test_acc)
        print(testAcc)
        XCTAssertLessThan(history["val_loss"]![1], history["val_loss"]![0], "the validation loss falls")
        XCTAssertTrue(testLoss.isFinite)
    }
}
