import XCTest
import Kestrel

/// tensorflow/docs site/en/tutorials/keras/save_and_load.ipynb ("Save and load models"), line by line.
/// Data: a synthetic stand-in of MNIST's shapes (the tutorial's first 1000 samples → 300); 2 epochs.
/// Lines that needed more than Swift spelling: 0. Python-only lines (string formatting, `os.path`) are written as Swift.
final class SaveAndLoadTutorial: XCTestCase {
    func testTutorial() throws {
        let folder = try TutorialData.temporaryFolder("save-and-load", subfolders: ["checkpoints"])
        // keras: (train_images, train_labels), (test_images, test_labels) = tf.keras.datasets.mnist.load_data()
        var ((trainImages, trainLabels), (testImages, testLabels)) = try TutorialData.loadData(train: 400, test: 400, shape: [28, 28])
        // keras: train_labels = train_labels[:1000]
        trainLabels = try trainLabels[..<300]
        // keras: test_labels = test_labels[:1000]
        testLabels = try testLabels[..<300]
        // keras: train_images = train_images[:1000].reshape(-1, 28 * 28) / 255.0
        trainImages = try trainImages[..<300].reshaped([-1, 28 * 28]) / 255.0
        // keras: test_images = test_images[:1000].reshape(-1, 28 * 28) / 255.0
        testImages = try testImages[..<300].reshaped([-1, 28 * 28]) / 255.0

        // keras: def create_model():
        func createModel() throws -> Sequential {
            // keras:   model = tf.keras.Sequential([
            // keras:     keras.layers.Dense(512, activation='relu', input_shape=(784,)),
            // keras:     keras.layers.Dropout(0.2),
            // keras:     keras.layers.Dense(10)
            // keras:   ])
            let model = try Sequential([
                Dense(512, activation: "relu", inputShape: [784]),
                Dropout(0.2),
                Dense(10),
            ])
            // keras:   model.compile(optimizer='adam',
            // keras:                 loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            // keras:                 metrics=[tf.keras.metrics.SparseCategoricalAccuracy()])
            try model.compile(optimizer: "adam",
                              loss: SparseCategoricalCrossentropy(fromLogits: true),
                              metrics: [SparseCategoricalAccuracy()])
            // keras:   return model
            return model
        }
        // keras: model = create_model()
        var model = try createModel()
        // keras: model.summary()
        model.summary()

        // keras: checkpoint_path = "training_1/cp.weights.h5"
        let checkpointPath = "\(folder)/training_1/cp.weights.h5"
        // keras: cp_callback = tf.keras.callbacks.ModelCheckpoint(filepath=checkpoint_path,
        // keras:                                                  save_weights_only=True,
        // keras:                                                  verbose=1)
        let cpCallback = try ModelCheckpoint(filepath: checkpointPath,
                                             saveWeightsOnly: true,
                                             verbose: 1)
        // keras: model.fit(train_images, train_labels, epochs=10, validation_data=(test_images, test_labels), callbacks=[cp_callback])
        try model.fit(trainImages, trainLabels, epochs: 2, validationData: (testImages, testLabels), callbacks: [cpCallback], verbose: 0)

        // keras: model = create_model()
        model = try createModel()
        // keras: loss, acc = model.evaluate(test_images, test_labels, verbose=2)
        var (_, acc) = try model.evaluate(testImages, testLabels, verbose: 0)
        // keras: print("Untrained model, accuracy: {:5.2f}%".format(100 * acc))
        print("Untrained model, accuracy: \(100 * acc)%")
        let untrained = acc
        // keras: model.load_weights(checkpoint_path)
        try model.loadWeights(checkpointPath)
        // keras: loss, acc = model.evaluate(test_images, test_labels, verbose=2)
        (_, acc) = try model.evaluate(testImages, testLabels, verbose: 0)
        // keras: print("Restored model, accuracy: {:5.2f}%".format(100 * acc))
        print("Restored model, accuracy: \(100 * acc)%")
        XCTAssertGreaterThan(acc, untrained + 0.2, "the restored weights are the trained ones")

        // keras: model.save_weights('./checkpoints/my_checkpoint.weights.h5')
        try model.saveWeights("\(folder)/checkpoints/my_checkpoint.weights.h5")
        // keras: model = create_model()
        model = try createModel()
        // keras: model.load_weights('./checkpoints/my_checkpoint.weights.h5')
        try model.loadWeights("\(folder)/checkpoints/my_checkpoint.weights.h5")
        // keras: loss, acc = model.evaluate(test_images, test_labels, verbose=2)
        let (_, reloaded) = try model.evaluate(testImages, testLabels, verbose: 0)
        XCTAssertEqual(reloaded, acc)

        // keras: model = create_model()
        model = try createModel()
        // keras: model.fit(train_images, train_labels, epochs=5)
        try model.fit(trainImages, trainLabels, epochs: 2, verbose: 0)
        // keras: model.save('my_model.keras')
        try model.save("\(folder)/my_model.keras")
        // keras: new_model = tf.keras.models.load_model('my_model.keras')
        let newModel = try loadModel("\(folder)/my_model.keras")
        // keras: new_model.summary()
        newModel.summary()
        // keras: loss, acc = new_model.evaluate(test_images, test_labels, verbose=2)
        let (loss, newAcc) = try newModel.evaluate(testImages, testLabels, verbose: 0)
        // keras: print(new_model.predict(test_images).shape)
        print(try newModel.predict(testImages).shape)
        XCTAssertEqual(try newModel.predict(testImages).shape, [300, 10])
        XCTAssertEqual(newAcc, try model.evaluate(testImages, testLabels, verbose: 0)[1])
        XCTAssertTrue(loss.isFinite)
    }
}
