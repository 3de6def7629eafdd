import XCTest
import Kestrel

/// tensorflow/docs site/en/tutorials/keras/overfit_and_underfit.ipynb, its model, compile and fit lines
/// (the tiny model, the L2 and the dropout models), line by line. Data: a synthetic stand-in of the Higgs
/// features (28 values, a 0/1 label) as arrays instead of the tutorial's `tf.data` pipeline; 10 epochs.
/// `testTutorialGivesKerasNumbers` types the tutorial's data pipeline, the tiny/small/medium/large models and the
/// L2 and dropout models again and compares each epoch's numbers with Keras 3.15.1's for the same lines
/// (`scripts/tutorial_reference/overfit_and_underfit.py`, which lists the few departures both make: synthetic
/// data, no shuffle, the same starting weights, 10 epochs).
/// Lines that needed more than Swift spelling: 1 (`tfdocs.EpochDots` has no counterpart and is left out).
final class OverfitAndUnderfitTutorial: XCTestCase {
    func testTutorial() throws {
        let folder = try TutorialData.temporaryFolder("overfit")
        // keras: FEATURES = 28
        let FEATURES = 28
        let (x, y) = try TutorialData.tabular(count: 320, features: FEATURES, seed: 3)
        let trainDs = try Dataset(x: try x[..<256].scalars, xShape: [256, FEATURES], y: try y[..<256].scalars, yShape: [256, 1]).batch(32)
        let validateDs = try Dataset(x: try x[256...].scalars, xShape: [64, FEATURES], y: try y[256...].scalars, yShape: [64, 1]).batch(32)
        // keras: STEPS_PER_EPOCH = N_TRAIN//BATCH_SIZE
        let STEPS_PER_EPOCH = 256 / 32

        // keras: lr_schedule = tf.keras.optimizers.schedules.InverseTimeDecay(
        // keras:   0.001, decay_steps=STEPS_PER_EPOCH*1000, decay_rate=1, staircase=False)
        let lrSchedule = try InverseTimeDecay(
            initialLearningRate: 0.001, decaySteps: STEPS_PER_EPOCH*1000, decayRate: 1, staircase: false)
        // keras: def get_optimizer():
        func getOptimizer() throws -> Optimizer {
            // keras:   return tf.keras.optimizers.Adam(lr_schedule)
            return try Adam(lrSchedule)
        }
        // keras: def get_callbacks(name):
        func getCallbacks(_ name: String) throws -> [Callback] {
            // keras:   return [
            // keras:     tfdocs.modeling.EpochDots(),
            // keras:     tf.keras.callbacks.EarlyStopping(monitor='val_binary_crossentropy', patience=200),
            // keras:     tf.keras.callbacks.TensorBoard(logdir/name),
            // keras:   ]
            // beyond spelling: tfdocs.modeling.EpochDots has no counterpart
            return [
                EarlyStopping(monitor: "val_binary_crossentropy", patience: 200),
                try TensorBoard(logDir: "\(folder)/\(name)"),
            ]
        }
        // keras: def compile_and_fit(model, name, optimizer=None, max_epochs=10000):
        func compileAndFit(_ model: Model, _ name: String, optimizer: Optimizer? = nil, maxEpochs: Int = 10) throws -> History {
            // keras:   if optimizer is None:
            // keras:     optimizer = get_optimizer()
            let optimizer = try optimizer ?? getOptimizer()
            // keras:   model.compile(optimizer=optimizer,
            // keras:                 loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
            // keras:                 metrics=[
            // keras:                   tf.keras.losses.BinaryCrossentropy(
            // keras:                       from_logits=True, name='binary_crossentropy'),
            // keras:                   'accuracy'])
            try model.compile(optimizer: optimizer,
                              loss: BinaryCrossentropy(fromLogits: true),
                              metrics: [
                                BinaryCrossentropy(
                                    fromLogits: true, name: "binary_crossentropy"),
                                "accuracy"])
            // keras:   model.summary()
            model.summary()
            // keras:   history = model.fit(
            // keras:     train_ds,
            // keras:     steps_per_epoch = STEPS_PER_EPOCH,
            // keras:     epochs=max_epochs,
            // keras:     validation_data=validate_ds,
            // keras:     callbacks=get_callbacks(name),
            // keras:     verbose=0)
            let history = try model.fit(
                trainDs,
                stepsPerEpoch: STEPS_PER_EPOCH,
                epochs: maxEpochs,
                validationData: validateDs,
                callbacks: try getCallbacks(name),
                verbose: 0)
            // keras:   return history
            return history
        }

        // keras: tiny_model = tf.keras.Sequential([
        // keras:     layers.Dense(16, activation='elu', input_shape=(FEATURES,)),
        // keras:     layers.Dense(1)
        // keras: ])
        let tinyModel = try Sequential([
            Dense(16, activation: "elu", inputShape: [FEATURES]),
            Dense(1),
        ])
        // keras: size_histories = {}
        var sizeHistories: [String: History] = [:]
        // keras: size_histories['Tiny'] = compile_and_fit(tiny_model, 'sizes/Tiny')
        sizeHistories["Tiny"] = try compileAndFit(tinyModel, "sizes/Tiny")
        let tiny = sizeHistories["Tiny"]!
        XCTAssertEqual(tiny.keys, ["accuracy", "binary_crossentropy", "learning_rate", "loss", "val_accuracy", "val_binary_crossentropy", "val_loss"])
        // print(history.history) shows the scheduled rate last, where Keras puts a logged learning_rate.
        XCTAssertEqual(Array(tiny.history.keys).last, "learning_rate")
        // Trained: the training loss of the last of 10 epochs is below the first's, and the scheduled rate is logged.
        XCTAssertLessThan(tiny["loss"]!.last!, tiny["loss"]![0])
        XCTAssertEqual(tiny["learning_rate"]![0], Double(Float(0.001) / (1 + Float(STEPS_PER_EPOCH) / Float(STEPS_PER_EPOCH * 1000))), accuracy: 1e-9)
        // Without regularisation the monitored crossentropy is the loss (over the same batches).
        XCTAssertEqual(tiny["val_binary_crossentropy"]![2], tiny["val_loss"]![2], accuracy: 1e-5)

        // keras: l2_model = tf.keras.Sequential([
        // keras:     layers.Dense(512, activation='elu',
        // keras:                  kernel_regularizer=regularizers.l2(0.001),
        // keras:                  input_shape=(FEATURES,)),
        // keras:     layers.Dense(1)
        // keras: ])
        let l2Model = try Sequential([
            Dense(512, activation: "elu",
                  kernelRegularizer: .l2(0.001),
                  inputShape: [FEATURES]),
            Dense(1),
        ])
        // keras: regularizer_histories = {}
        var regularizerHistories: [String: History] = [:]
        // keras: regularizer_histories['l2'] = compile_and_fit(l2_model, "regularizers/l2")
        regularizerHistories["l2"] = try compileAndFit(l2Model, "regularizers/l2")
        let l2 = regularizerHistories["l2"]!
        XCTAssertGreaterThan(l2["loss"]![2], l2["binary_crossentropy"]![2], "the loss includes the L2 penalty; the metric does not")

        // keras: dropout_model = tf.keras.Sequential([
        // keras:     layers.Dense(512, activation='elu', input_shape=(FEATURES,)),
        // keras:     layers.Dropout(0.5),
        // keras:     layers.Dense(1)
        // keras: ])
        let dropoutModel = try Sequential([
            Dense(512, activation: "elu", inputShape: [FEATURES]),
            Dropout(0.5),
            Dense(1),
        ])
        // keras: regularizer_histories['dropout'] = compile_and_fit(dropout_model, "regularizers/dropout")
        regularizerHistories["dropout"] = try compileAndFit(dropoutModel, "regularizers/dropout")
        XCTAssertEqual(regularizerHistories["dropout"]!["loss"]!.count, 10)
    }

    func testTutorialGivesKerasNumbers() throws {
        let keras = OverfitAndUnderfitKerasNumbers.self
        let logdir = try TutorialData.temporaryFolder("overfit-numbers")
        // keras: FEATURES = 28
        let FEATURES = 28
        // Not tutorial lines: the synthetic rows stand in for HIGGS.csv.gz (the same rows as the Keras script's).
        let (features, labels) = try TutorialData.tabular(count: 1200, features: FEATURES, seed: 3)
        XCTAssertEqual(Double(try features.sum().scalar!), keras.featureSum, accuracy: 1e-2)
        XCTAssertEqual(try labels.sum().scalar, Float(keras.positives))
        let packedDs = try Dataset.fromTensorSlices((features, try labels.reshaped([-1])))
        // keras: N_VALIDATION = int(1e3)
        let N_VALIDATION = 200
        // keras: N_TRAIN = int(1e4)
        let N_TRAIN = 1000
        // keras: BATCH_SIZE = 500
        let BATCH_SIZE = 100
        // keras: STEPS_PER_EPOCH = N_TRAIN//BATCH_SIZE
        let STEPS_PER_EPOCH = N_TRAIN / BATCH_SIZE
        // keras: validate_ds = packed_ds.take(N_VALIDATION).cache()
        var validateDs = packedDs.take(N_VALIDATION).cache()
        // keras: train_ds = packed_ds.skip(N_VALIDATION).take(N_TRAIN).cache()
        var trainDs = packedDs.skip(N_VALIDATION).take(N_TRAIN).cache()
        // keras: validate_ds = validate_ds.batch(BATCH_SIZE)
        validateDs = try validateDs.batch(BATCH_SIZE)
        // keras: train_ds = train_ds.shuffle(BUFFER_SIZE).repeat().batch(BATCH_SIZE)
        // Not shuffled here, nor in the Keras script (Keras's and Kestrel's random orders differ).
        trainDs = try trainDs.repeat().batch(BATCH_SIZE)
        // keras: lr_schedule = tf.keras.optimizers.schedules.InverseTimeDecay(
        // keras:   0.001,
        // keras:   decay_steps=STEPS_PER_EPOCH*1000,
        // keras:   decay_rate=1,
        // keras:   staircase=False)
        let lrSchedule = try InverseTimeDecay(
            initialLearningRate: 0.001,
            decaySteps: STEPS_PER_EPOCH*1000,
            decayRate: 1,
            staircase: false)
        // keras: def get_optimizer():
        // keras:   return tf.keras.optimizers.Adam(lr_schedule)
        func getOptimizer() throws -> Optimizer {
            return try Adam(lrSchedule)
        }
        // keras: def get_callbacks(name):
        // keras:   return [
        // keras:     tf.keras.callbacks.EarlyStopping(monitor='val_binary_crossentropy', patience=200),
        // keras:     tf.keras.callbacks.TensorBoard(logdir/name),
        // keras:   ]
        func getCallbacks(_ name: String) throws -> [Callback] {
            return [
                EarlyStopping(monitor: "val_binary_crossentropy", patience: 200),
                try TensorBoard("\(logdir)/\(name)"),
            ]
        }
        // keras: def compile_and_fit(model, name, optimizer=None, max_epochs=10000):
        func compileAndFit(_ model: Model, _ name: String, optimizer: Optimizer? = nil, maxEpochs: Int = 10) throws -> History {
            // keras:   if optimizer is None:
            // keras:     optimizer = get_optimizer()
            let optimizer = try optimizer ?? getOptimizer()
            // Not a tutorial line: the Keras script's starting weights.
            try TutorialData.setPatternWeights(model)
            // keras:   model.compile(optimizer=optimizer,
            // keras:                 loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
            // keras:                 metrics=[
            // keras:                   tf.keras.losses.BinaryCrossentropy(
            // keras:                       from_logits=True, name='binary_crossentropy'),
            // keras:                   'accuracy'])
            try model.compile(optimizer: optimizer,
                              loss: BinaryCrossentropy(fromLogits: true),
                              metrics: [
                                BinaryCrossentropy(
                                    fromLogits: true, name: "binary_crossentropy"),
                                "accuracy"])
            // keras:   model.summary()
            model.summary()
            // keras:   history = model.fit(
            // keras:     train_ds,
            // keras:     steps_per_epoch = STEPS_PER_EPOCH,
            // keras:     epochs=max_epochs,
            // keras:     validation_data=validate_ds,
            // keras:     callbacks=get_callbacks(name),
            // keras:     verbose=0)
            let history = try model.fit(
                trainDs,
                stepsPerEpoch: STEPS_PER_EPOCH,
                epochs: maxEpochs,
                validationData: validateDs,
                callbacks: try getCallbacks(name),
                verbose: 0)
            // keras:   return history
            return history
        }

        /// Each epoch's six numbers against Keras's (relative tolerance `tolerance`, accuracies within one sample).
        func check(_ history: History, _ name: String, tolerance: Double = 1e-4) {
            let expected = keras.histories[name]!
            XCTAssertEqual(Set(history.keys).subtracting(["learning_rate"]), Set(expected.keys), name)
            for (key, values) in expected {
                let got = history.history[key] ?? []
                XCTAssertEqual(got.count, values.count, "\(name) \(key)")
                let samples = key.hasPrefix("val_") ? Double(N_VALIDATION) : Double(N_TRAIN)
                for (epoch, (kestrel, value)) in zip(got, values).enumerated() {
                    let allowed = key.hasSuffix("accuracy") ? 1.01 / samples : tolerance * Swift.max(abs(value), 1e-3)
                    XCTAssertEqual(kestrel, value, accuracy: allowed, "\(name) \(key) epoch \(epoch + 1)")
                }
            }
        }

        // keras: tiny_model = tf.keras.Sequential([
        // keras:     layers.Dense(16, activation='elu', input_shape=(FEATURES,)),
        // keras:     layers.Dense(1)
        // keras: ])
        let tinyModel = try Sequential([
            Dense(16, activation: "elu", inputShape: [FEATURES]),
            Dense(1),
        ])
        // keras: size_histories = {}
        var sizeHistories: [String: History] = [:]
        // keras: size_histories['Tiny'] = compile_and_fit(tiny_model, 'sizes/Tiny')
        sizeHistories["Tiny"] = try compileAndFit(tinyModel, "sizes/Tiny")
        check(sizeHistories["Tiny"]!, "Tiny")
        // keras: small_model = tf.keras.Sequential([
        // keras:     # `input_shape` is only required here so that `.summary` works.
        // keras:     layers.Dense(16, activation='elu', input_shape=(FEATURES,)),
        // keras:     layers.Dense(16, activation='elu'),
        // keras:     layers.Dense(1)
        // keras: ])
        let smallModel = try Sequential([
            // `input_shape` is only required here so that `.summary` works.
            Dense(16, activation: "elu", inputShape: [FEATURES]),
            Dense(16, activation: "elu"),
            Dense(1),
        ])
        // keras: size_histories['Small'] = compile_and_fit(small_model, 'sizes/Small')
        sizeHistories["Small"] = try compileAndFit(smallModel, "sizes/Small")
        check(sizeHistories["Small"]!, "Small")
        // keras: medium_model = tf.keras.Sequential([
        // keras:     layers.Dense(64, activation='elu', input_shape=(FEATURES,)),
        // keras:     layers.Dense(64, activation='elu'),
        // keras:     layers.Dense(64, activation='elu'),
        // keras:     layers.Dense(1)
        // keras: ])
        let mediumModel = try Sequential([
            Dense(64, activation: "elu", inputShape: [FEATURES]),
            Dense(64, activation: "elu"),
            Dense(64, activation: "elu"),
            Dense(1),
        ])
        // keras: size_histories['Medium']  = compile_and_fit(medium_model, "sizes/Medium")
        sizeHistories["Medium"] = try compileAndFit(mediumModel, "sizes/Medium")
        check(sizeHistories["Medium"]!, "Medium")
        // keras: large_model = tf.keras.Sequential([
        // keras:     layers.Dense(512, activation='elu', input_shape=(FEATURES,)),
        // keras:     layers.Dense(512, activation='elu'),
        // keras:     layers.Dense(512, activation='elu'),
        // keras:     layers.Dense(512, activation='elu'),
        // keras:     layers.Dense(1)
        // keras: ])
        let largeModel = try Sequential([
            Dense(512, activation: "elu", inputShape: [FEATURES]),
            Dense(512, activation: "elu"),
            Dense(512, activation: "elu"),
            Dense(512, activation: "elu"),
            Dense(1),
        ])
        // keras: size_histories['large'] = compile_and_fit(large_model, "sizes/large")
        sizeHistories["large"] = try compileAndFit(largeModel, "sizes/large")
        // The 512-wide models' first epochs spike (loss 3.3), which amplifies float32 rounding (the products'
        // summation order): their last epochs differ from Keras's by up to 3e-4 (by 1% after 20 epochs).
        check(sizeHistories["large"]!, "large", tolerance: 1e-3)

        // keras: regularizer_histories = {}
        var regularizerHistories: [String: History] = [:]
        // keras: regularizer_histories['Tiny'] = size_histories['Tiny']
        regularizerHistories["Tiny"] = sizeHistories["Tiny"]
        // keras: l2_model = tf.keras.Sequential([
        // keras:     layers.Dense(512, activation='elu',
        // keras:                  kernel_regularizer=regularizers.l2(0.001),
        // keras:                  input_shape=(FEATURES,)),
        // keras:     layers.Dense(512, activation='elu',
        // keras:                  kernel_regularizer=regularizers.l2(0.001)),
        // keras:     layers.Dense(512, activation='elu',
        // keras:                  kernel_regularizer=regularizers.l2(0.001)),
        // keras:     layers.Dense(512, activation='elu',
        // keras:                  kernel_regularizer=regularizers.l2(0.001)),
        // keras:     layers.Dense(1)
        // keras: ])
        let l2Model = try Sequential([
            Dense(512, activation: "elu",
                         kernelRegularizer: .l2(0.001),
                         inputShape: [FEATURES]),
            Dense(512, activation: "elu",
                         kernelRegularizer: .l2(0.001)),
            Dense(512, activation: "elu",
                         kernelRegularizer: .l2(0.001)),
            Dense(512, activation: "elu",
                         kernelRegularizer: .l2(0.001)),
            Dense(1),
        ])
        // keras: regularizer_histories['l2'] = compile_and_fit(l2_model, "regularizers/l2")
        regularizerHistories["l2"] = try compileAndFit(l2Model, "regularizers/l2")
        check(regularizerHistories["l2"]!, "l2", tolerance: 1e-3)
        // keras: result = l2_model(features)
        // keras: regularization_loss=tf.add_n(l2_model.losses)
        _ = try l2Model(try features[..<3])
        let regularizationLoss = try l2Model.losses.reduce(Tensor(scalar: 0)) { try $0 + $1 }
        XCTAssertEqual(Double(regularizationLoss.scalar!), keras.l2Penalty, accuracy: 1e-3 * keras.l2Penalty)

        // keras: dropout_model = tf.keras.Sequential([
        // keras:     layers.Dense(512, activation='elu', input_shape=(FEATURES,)),
        // keras:     layers.Dropout(0.5),
        // keras:     layers.Dense(512, activation='elu'),
        // keras:     layers.Dropout(0.5),
        // keras:     layers.Dense(512, activation='elu'),
        // keras:     layers.Dropout(0.5),
        // keras:     layers.Dense(512, activation='elu'),
        // keras:     layers.Dropout(0.5),
        // keras:     layers.Dense(1)
        // keras: ])
        let dropoutModel = try Sequential([
            Dense(512, activation: "elu", inputShape: [FEATURES]),
            Dropout(0.5),
            Dense(512, activation: "elu"),
            Dropout(0.5),
            Dense(512, activation: "elu"),
            Dropout(0.5),
            Dense(512, activation: "elu"),
            Dropout(0.5),
            Dense(1),
        ])
        // keras: regularizer_histories['dropout'] = compile_and_fit(dropout_model, "regularizers/dropout")
        regularizerHistories["dropout"] = try compileAndFit(dropoutModel, "regularizers/dropout", maxEpochs: 2)
        // A dropout mask is random: the keys and the epoch count are Keras's, the numbers are not compared.
        let dropout = regularizerHistories["dropout"]!
        XCTAssertEqual(Set(dropout.keys).subtracting(["learning_rate"]), Set(keras.histories["Tiny"]!.keys))
        XCTAssertEqual(dropout.history["loss"]!.count, 2)
    }
}
