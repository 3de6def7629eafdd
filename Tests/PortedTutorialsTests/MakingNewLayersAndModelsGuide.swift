import XCTest
import Kestrel

/// keras-io guides/making_new_layers_and_models_via_subclassing.py, typed as a newcomer would: a `Linear`
/// layer with `add_weight`, a non-trainable accumulating weight, lazy weights in `build`, layers nested as
/// properties (their weights tracked by the outer layer and trained by `fit`), `add_loss` from `call`, and
/// the `training` flag. Numbers for given weights are those Keras 3.15.1 gives for the same code
/// (`scripts/tutorial_reference/making_new_layers_and_models.py`).
/// Lines that needed more than Swift spelling: 2.
final class MakingNewLayersAndModelsGuide: XCTestCase {
    // keras: class Linear(keras.layers.Layer):
    // keras:     def __init__(self, units=32, input_dim=32):
    // keras:         super().__init__()
    // keras:         self.w = self.add_weight(
    // keras:             shape=(input_dim, units),
    // keras:             initializer="random_normal",
    // keras:             trainable=True,
    // keras:         )
    // keras:         self.b = self.add_weight(shape=(units,), initializer="zeros", trainable=True)
    // keras:     def call(self, inputs):
    // keras:         return ops.matmul(inputs, self.w) + self.b
    final class EagerLinear: Layer {
        // beyond spelling: Swift's two-phase initialisation needs the weights declared before super.init()
        var w: Variable!
        var b: Variable!

        init(units: Int = 32, inputDim: Int = 32) throws {
            super.init()
            w = try addWeight(
                shape: [inputDim, units],
                initializer: "random_normal",
                trainable: true
            )
            b = try addWeight(shape: [units], initializer: "zeros", trainable: true)
        }

        override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
            // beyond spelling: ops.matmul(a, b) is a.matmul(b), and a weight's value is .tensor
            try inputs.matmul(w.tensor) + b.tensor
        }
    }

    func testLinearLayerWithWeightsMadeInInit() throws {
        // keras: x = ops.ones((2, 2))
        let x = try Tensor.ones([2, 2])
        // keras: linear_layer = Linear(4, 2)
        let linearLayer = try EagerLinear(units: 4, inputDim: 2)
        // keras: y = linear_layer(x)
        let y = try linearLayer(x)
        // keras: print(y)
        print(y)
        XCTAssertEqual(y.shape, [2, 4])
        // keras: assert linear_layer.weights == [linear_layer.w, linear_layer.b]
        XCTAssertTrue(linearLayer.weights.elementsEqual([linearLayer.w, linearLayer.b], by: ===))
        // Each output is the sum of the kernel's column (the inputs are ones) plus the zero bias.
        let columnSums = try linearLayer.w.tensor.sum(axes: [0])
        XCTAssertEqual(Array(y.scalars[0..<4]), columnSums.scalars)
        XCTAssertEqual(linearLayer.b.tensor.scalars, [0, 0, 0, 0])
    }

    // keras: class ComputeSum(keras.layers.Layer):
    // keras:     def __init__(self, input_dim):
    // keras:         super().__init__()
    // keras:         self.total = self.add_weight(
    // keras:             initializer="zeros", shape=(input_dim,), trainable=False
    // keras:         )
    // keras:     def call(self, inputs):
    // keras:         self.total.assign_add(ops.sum(inputs, axis=0))
    // keras:         return self.total
    final class ComputeSum: Layer {
        var total: Variable!

        init(inputDim: Int) throws {
            super.init()
            total = try addWeight(
                initializer: "zeros", shape: [inputDim], trainable: false
            )
        }

        override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
            try total.assign(total.tensor + inputs.sum(axes: [0]))
            return total.tensor
        }
    }

    func testNonTrainableWeightAccumulates() throws {
        // keras: x = ops.ones((2, 2))
        let x = try Tensor.ones([2, 2])
        // keras: my_sum = ComputeSum(2)
        let mySum = try ComputeSum(inputDim: 2)
        // keras: y = my_sum(x)
        var y = try mySum(x)
        // keras: print(y.numpy())
        print(y.scalars)
        XCTAssertEqual(y.scalars, [2, 2])
        // keras: y = my_sum(x)
        y = try mySum(x)
        // keras: print(y.numpy())
        print(y.scalars)
        XCTAssertEqual(y.scalars, [4, 4])
        // keras: print("weights:", len(my_sum.weights))
        print("weights:", mySum.weights.count)
        XCTAssertEqual(mySum.weights.count, 1)
        // keras: print("non-trainable weights:", len(my_sum.non_trainable_weights))
        print("non-trainable weights:", mySum.nonTrainableWeights.count)
        XCTAssertEqual(mySum.nonTrainableWeights.count, 1)
        // keras: print("trainable_weights:", my_sum.trainable_weights)
        print("trainable_weights:", mySum.trainableWeights)
        XCTAssertEqual(mySum.trainableWeights.count, 0)
    }

    // keras: class Linear(keras.layers.Layer):
    // keras:     def __init__(self, units=32):
    // keras:         super().__init__()
    // keras:         self.units = units
    // keras:     def build(self, input_shape):
    // keras:         self.w = self.add_weight(
    // keras:             shape=(input_shape[-1], self.units),
    // keras:             initializer="random_normal",
    // keras:             trainable=True,
    // keras:         )
    // keras:         self.b = self.add_weight(
    // keras:             shape=(self.units,), initializer="random_normal", trainable=True
    // keras:         )
    // keras:     def call(self, inputs):
    // keras:         return ops.matmul(inputs, self.w) + self.b
    final class Linear: Layer {
        let units: Int
        var w: Variable!
        var b: Variable!

        init(units: Int = 32) {
            self.units = units
            super.init()
        }

        override func build(inputShape: [Int]) throws {
            w = try addWeight(
                shape: [inputShape.last!, units],
                initializer: "random_normal",
                trainable: true
            )
            b = try addWeight(
                shape: [units], initializer: "random_normal", trainable: true
            )
        }

        override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
            try inputs.matmul(w.tensor) + b.tensor
        }
    }

    // keras: class ActivityRegularizationLayer(keras.layers.Layer):
    // keras:     def __init__(self, rate=1e-2):
    // keras:         super().__init__()
    // keras:         self.rate = rate
    // keras:     def call(self, inputs):
    // keras:         self.add_loss(self.rate * ops.mean(inputs))
    // keras:         return inputs
    final class ActivityRegularizationLayer: Layer {
        let rate: Float

        init(rate: Float = 1e-2) {
            self.rate = rate
            super.init()
        }

        override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
            try addLoss(rate * inputs.mean())
            return inputs
        }
    }

    // keras: class OuterLayer(keras.layers.Layer):
    // keras:     def __init__(self):
    // keras:         super().__init__()
    // keras:         self.activity_reg = ActivityRegularizationLayer(1e-2)
    // keras:     def call(self, inputs):
    // keras:         return self.activity_reg(inputs)
    final class OuterLayer: Layer {
        let activityReg = ActivityRegularizationLayer(rate: 1e-2)

        override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
            try activityReg(inputs)
        }
    }

    func testLossesFromAddLossAreResetAtEachCall() throws {
        // keras: layer = OuterLayer()
        let layer = OuterLayer()
        // keras: assert len(layer.losses) == 0  # No losses yet since the layer has never been called
        XCTAssertEqual(try layer.losses.count, 0)
        // keras: _ = layer(ops.zeros((1, 1)))
        _ = try layer(Tensor.zeros([1, 1]))
        // keras: assert len(layer.losses) == 1  # We created one loss value
        XCTAssertEqual(try layer.losses.count, 1)
        // keras: # `layer.losses` gets reset at the start of each __call__
        // keras: _ = layer(ops.zeros((1, 1)))
        _ = try layer(Tensor.zeros([1, 1]))
        // keras: assert len(layer.losses) == 1  # This is the loss created during the call above
        XCTAssertEqual(try layer.losses.count, 1)
        _ = try layer(Tensor(shape: [2, 1], scalars: [3, 3]))
        XCTAssertEqual(try layer.losses[0].scalars[0], 0.03, accuracy: 1e-7)
    }

    // keras: class MLPBlock(keras.layers.Layer):
    // keras:     def __init__(self):
    // keras:         super().__init__()
    // keras:         self.linear_1 = Linear(32)
    // keras:         self.linear_2 = Linear(32)
    // keras:         self.linear_3 = Linear(1)
    // keras:     def call(self, inputs):
    // keras:         x = self.linear_1(inputs)
    // keras:         x = keras.activations.relu(x)
    // keras:         x = self.linear_2(x)
    // keras:         x = keras.activations.relu(x)
    // keras:         return self.linear_3(x)
    final class MLPBlock: Layer {
        let linear1 = Linear(units: 32)
        let linear2 = Linear(units: 32)
        let linear3 = Linear(units: 1)

        override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
            var x = try linear1(inputs)
            x = x.relu()
            x = try linear2(x)
            x = x.relu()
            return try linear3(x)
        }
    }

    func testNestedLayersWeightsAreTracked() throws {
        // keras: mlp = MLPBlock()
        let mlp = MLPBlock()
        // keras: y = mlp(ops.ones(shape=(3, 64)))  # The first call to the `mlp` will create the weights
        let y = try mlp(Tensor.ones([3, 64]))
        XCTAssertEqual(y.shape, [3, 1])
        // keras: print("weights:", len(mlp.weights))
        print("weights:", mlp.weights.count)
        XCTAssertEqual(mlp.weights.count, 6)
        // keras: print("trainable weights:", len(mlp.trainable_weights))
        print("trainable weights:", mlp.trainableWeights.count)
        XCTAssertEqual(mlp.trainableWeights.count, 6)
        XCTAssertEqual(mlp.countParams(), 64 * 32 + 32 + 32 * 32 + 32 + 32 + 1)
    }

    /// Linear → relu → ActivityRegularizationLayer(0.5) → Linear, nested in one layer: Keras's numbers for the
    /// same weights (its `predict`, its `evaluate` with the added loss, the weights after one SGD step).
    final class SmallBlock: Layer {
        let linear1 = Linear(units: 3)
        let reg = ActivityRegularizationLayer(rate: 0.5)
        let linear2 = Linear(units: 1)

        override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
            var x = try linear1(inputs)
            x = x.relu()
            x = try reg(x)
            return try linear2(x)
        }
    }

    func testNestedLayersTrainWithTheirAddedLossAsInKeras() throws {
        let model = try Sequential([Input(shape: [2]), SmallBlock()])
        try model.setWeights([
            Tensor(shape: [2, 3], scalars: [0.1, -0.2, 0.3, 0.4, 0.5, -0.6]),
            Tensor(shape: [3], scalars: [0.01, 0.02, 0.03]),
            Tensor(shape: [3, 1], scalars: [1.0, -1.0, 0.5]),
            Tensor(shape: [1], scalars: [0.25]),
        ])
        XCTAssertEqual(model.weights.count, 4)
        let x = try Tensor(shape: [4, 2], scalars: [1, 2, 3, -1, 0.5, 0.5, -1, 1])
        let y = try Tensor(shape: [4, 1], scalars: [1, 0, 2, -1])
        let predictions = try model.predict(x, verbose: 0)
        for (kestrel, keras) in zip(predictions.scalars, [0.34000003, 1.015, 0.34, -0.16]) {
            XCTAssertEqual(Double(kestrel), keras, accuracy: 1e-6)
        }
        // Keras's model.losses after model(x): the one term the inner layer added, 0.5 × mean(relu outputs).
        _ = try model(x)
        let losses = try model.losses
        XCTAssertEqual(losses.count, 1)
        XCTAssertEqual(Double(losses[0].scalars[0]), 0.1966666728258133, accuracy: 1e-6)
        try model.compile(optimizer: SGD(learningRate: 0.1), loss: "mse")
        // Keras: mse 1.2317564 plus the added loss 0.19666667 (0.5 × the mean of the relu outputs).
        XCTAssertEqual(try model.evaluate(x, y, batchSize: 4, verbose: 0)[0], 1.4284230470657349, accuracy: 1e-6)
        let history = try model.fit(x, y, batchSize: 4, epochs: 1, shuffle: false, verbose: 0)
        XCTAssertEqual(history.history["loss"]![0], 1.4284230470657349, accuracy: 1e-6)
        let expected: [[Double]] = [
            [0.21441668272018433, -0.31858333945274353, 0.21137501299381256, 0.45091667771339417, 0.41991665959358215, -0.5704583525657654],
            [0.07150000333786011, -0.06650000810623169, 0.00045833364129066467],
            [1.0385899543762207, -0.9890699982643127, 0.42235249280929565],
            [0.273250013589859],
        ]
        for (weight, keras) in zip(model.getWeights(), expected) {
            for (kestrel, value) in zip(weight.scalars, keras) { XCTAssertEqual(Double(kestrel), value, accuracy: 1e-6) }
        }
    }

    // keras: class ResNet(keras.Model):
    // keras:     def __init__(self, num_classes=1000):
    // keras:         super().__init__()
    // keras:         self.block_1 = ResNetBlock()
    // keras:         self.block_2 = ResNetBlock()
    // keras:         self.global_pool = layers.GlobalAveragePooling2D()
    // keras:         self.classifier = Dense(num_classes)
    // keras:     def call(self, inputs):
    // keras:         x = self.block_1(inputs)
    // keras:         x = self.block_2(x)
    // keras:         x = self.global_pool(x)
    // keras:         return self.classifier(x)
    /// The guide's sketch of a subclassed model, with MLP blocks for its ResNet blocks (flat inputs).
    final class MLPModel: Model {
        let block1 = MLPBlock()
        let classifier = Dense(1)

        override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
            let x = try block1(inputs, training: training)
            return try classifier(x)
        }
    }

    func testSubclassedModelTracksItsLayersAndTrainsWithFit() throws {
        Kestrel.setRandomSeed(7)
        let x = try Tensor(shape: [64, 4], scalars: (0..<256).map { Float(($0 * 37) % 101) / 101 })
        let y = try x.sum(axes: [1], keepDims: true)
        // keras: resnet = ResNet()
        let model = MLPModel()
        // keras: resnet.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
        try model.compile(optimizer: Adam(learningRate: 0.01), loss: "mse")
        // keras: resnet.fit(dataset, epochs=10)
        let history = try model.fit(x, y, batchSize: 16, epochs: 10, verbose: 0)
        // The block's three Linear layers (6 weights) and the Dense head (2), built before the first step.
        XCTAssertEqual(model.layers.count, 2)
        XCTAssertTrue(model.layers[0] === model.block1)
        XCTAssertEqual(model.weights.count, 8)
        XCTAssertEqual(model.trainableWeights.count, 8)
        let losses = history.history["loss"]!
        XCTAssertLessThan(losses.last!, losses.first! / 2)
        // Freezing the model freezes the layers it holds, as in Keras.
        model.trainable = false
        XCTAssertEqual(model.trainableWeights.count, 0)
    }
}
