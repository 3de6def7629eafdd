import XCTest
import Kestrel

/// tensorflow/docs site/en/tutorials/keras/save_and_load.ipynb ("Save and load models"), line by line.
/// Data: a synthetic stand-in of MNIST's shapes (the tutorial's first 1000 samples → 300); 2 epochs.
/// `testTutorialGivesKerasNumbers` types its Keras 3 form again (a `cp-{epoch:04d}.weights.h5` checkpoint every
/// `5*n_batches` batches, `.keras` and `.h5` model files) and compares what training's randomness (Dropout) leaves
/// fixed with Keras 3.15.1 (`scripts/tutorial_reference/save_and_load.py`): the untrained model's evaluate from
/// the same starting weights, the checkpoint files, and restored models evaluating as the saved ones.
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

    func testTutorialGivesKerasNumbers() throws {
        let folder = try TutorialData.temporaryFolder("save-and-load-numbers")
        // keras: (train_images, train_labels), (test_images, test_labels) = tf.keras.datasets.mnist.load_data()
        var ((trainImages, trainLabels), (testImages, testLabels)) = try TutorialData.loadData(train: 64, test: 64, shape: [28, 28])
        // keras: train_labels = train_labels[:1000]
        trainLabels = try trainLabels[..<1000]
        // keras: test_labels = test_labels[:1000]
        testLabels = try testLabels[..<1000]
        // keras: train_images = train_images[:1000].reshape(-1, 28 * 28) / 255.0
        trainImages = try trainImages[..<1000].reshaped([-1, 28 * 28]) / 255.0
        // keras: test_images = test_images[:1000].reshape(-1, 28 * 28) / 255.0
        testImages = try testImages[..<1000].reshaped([-1, 28 * 28]) / 255.0
        XCTAssertEqual(trainImages.shape, [64, 784])

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
        // Not a tutorial line: the Keras script's starting weights.
        try TutorialData.setPatternWeights(model)
        // keras: loss, acc = model.evaluate(test_images, test_labels, verbose=2)
        var (loss, acc) = try model.evaluate(testImages, testLabels, verbose: 2)
        // keras: print("Untrained model, accuracy: {:5.2f}%".format(100 * acc))
        print("Untrained model, accuracy: \(100 * acc)%")
        // Keras: 2.301030158996582, 0.09375.
        XCTAssertEqual(loss, 2.301030158996582, accuracy: 1e-6)
        XCTAssertEqual(acc, 0.09375)

        // keras: checkpoint_path = "training_2/cp-{epoch:04d}.weights.h5"
        let checkpointPath = "\(folder)/training_2/cp-{epoch:04d}.weights.h5"
        // keras: checkpoint_dir = os.path.dirname(checkpoint_path)
        let checkpointDir = (checkpointPath as NSString).deletingLastPathComponent
        // keras: batch_size = 32
        let batchSize = 32
        // keras: n_batches = len(train_images) / batch_size
        var nBatches = Double(trainImages.shape[0]) / Double(batchSize)
        // keras: n_batches = math.ceil(n_batches)
        nBatches = nBatches.rounded(.up)
        // keras: cp_callback = tf.keras.callbacks.ModelCheckpoint(
        // keras:     filepath=checkpoint_path,
        // keras:     verbose=1,
        // keras:     save_weights_only=True,
        // keras:     save_freq=5*n_batches)
        let cpCallback = try ModelCheckpoint(
            filepath: checkpointPath,
            verbose: 1,
            saveWeightsOnly: true,
            saveFreq: 5*Int(nBatches))
        // keras: model = create_model()
        model = try createModel()
        // Not a tutorial line: Keras 3's save_weights does not make the folder (the reference script makes it too).
        try FileManager.default.createDirectory(atPath: checkpointDir, withIntermediateDirectories: true)
        // keras: model.save_weights(checkpoint_path.format(epoch=0))
        try model.saveWeights(checkpointPath.replacingOccurrences(of: "{epoch:04d}", with: "0000"))
        // keras: model.fit(train_images,
        // keras:           train_labels,
        // keras:           epochs=50,
        // keras:           batch_size=batch_size,
        // keras:           callbacks=[cp_callback],
        // keras:           validation_data=(test_images, test_labels),
        // keras:           verbose=0)
        try model.fit(trainImages,
                      trainLabels,
                      epochs: 50,
                      batchSize: batchSize,
                      callbacks: [cpCallback],
                      validationData: (testImages, testLabels),
                      verbose: 0)
        // keras: os.listdir(checkpoint_dir)
        let checkpoints = try FileManager.default.contentsOfDirectory(atPath: checkpointDir).sorted()
        XCTAssertEqual(checkpoints, ["cp-0000.weights.h5"] + stride(from: 5, through: 50, by: 5).map { "cp-\(String(format: "%04d", $0)).weights.h5" })
        let trained: EvaluationResult = try model.evaluate(testImages, testLabels, verbose: 0)
        // keras: latest = tf.train.latest_checkpoint(checkpoint_dir)
        let latest = "\(checkpointDir)/\(checkpoints.last!)"
        // keras: model = create_model()
        model = try createModel()
        // keras: model.load_weights(latest)
        try model.loadWeights(latest)
        // keras: loss, acc = model.evaluate(test_images, test_labels, verbose=2)
        (loss, acc) = try model.evaluate(testImages, testLabels, verbose: 2)
        // keras: print("Restored model, accuracy: {:5.2f}%".format(100 * acc))
        print("Restored model, accuracy: \(100 * acc)%")
        // The last checkpoint was written after the last of the 50 epochs: Keras's restored model evaluates as the trained one.
        XCTAssertEqual([loss, acc], trained.values)

        // keras: model = create_model()
        model = try createModel()
        // keras: model.fit(train_images, train_labels, epochs=5)
        try model.fit(trainImages, trainLabels, epochs: 5)
        // keras: model.save('my_model.keras')
        try model.save("\(folder)/my_model.keras")
        // keras: new_model = tf.keras.models.load_model('my_model.keras')
        var newModel = try loadModel("\(folder)/my_model.keras")
        // keras: new_model.summary()
        newModel.summary()
        // keras: loss, acc = new_model.evaluate(test_images, test_labels, verbose=2)
        (loss, acc) = try newModel.evaluate(testImages, testLabels, verbose: 2)
        // keras: print(new_model.predict(test_images).shape)
        print(try newModel.predict(testImages).shape)
        XCTAssertEqual(try newModel.predict(testImages).shape, [64, 10])
        XCTAssertEqual([loss, acc], try model.evaluate(testImages, testLabels, verbose: 0).values)
        // Keras: the loaded optimizer is an Adam that has taken 10 steps (5 epochs of 2 batches).
        XCTAssertTrue(newModel.optimizer is Adam)
        XCTAssertEqual(newModel.optimizer?.iterations, 10)
        // keras: model.save('my_model.h5')
        try model.save("\(folder)/my_model.h5")
        // keras: new_model = tf.keras.models.load_model('my_model.h5')
        newModel = try loadModel("\(folder)/my_model.h5")
        // keras: loss, acc = new_model.evaluate(test_images, test_labels, verbose=2)
        (loss, acc) = try newModel.evaluate(testImages, testLabels, verbose: 2)
        XCTAssertEqual([loss, acc], try model.evaluate(testImages, testLabels, verbose: 0).values)
    }
}
