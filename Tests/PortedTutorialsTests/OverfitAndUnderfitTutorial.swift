import XCTest
import Kestrel

/// tensorflow/docs site/en/tutorials/keras/overfit_and_underfit.ipynb, its model, compile and fit lines
/// (the tiny model, the L2 and the dropout models), line by line. Data: a synthetic stand-in of the Higgs
/// features (28 values, a 0/1 label) as arrays instead of the tutorial's `tf.data` pipeline; 10 epochs.
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
}
