/// The built-in datasets of `keras.datasets`: `Datasets.mnist.load()`, `Datasets.fashionMNIST.load()`, …
public enum Datasets {
    private static let mnistBase = "https://storage.googleapis.com/cvdf-datasets/mnist/"
    private static let kerasBase = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
    private static let cifarBase = "https://www.cs.toronto.edu/~kriz/"

    /// Handwritten digits, 60,000 + 10,000 images of 28×28, 10 classes.
    public static let mnist = ImageClassificationDataset(
        name: "mnist",
        layout: .idx(
            trainImages: RemoteFile(name: "train-images-idx3-ubyte.gz", baseURL: mnistBase, sha256: "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
            trainLabels: RemoteFile(name: "train-labels-idx1-ubyte.gz", baseURL: mnistBase, sha256: "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
            testImages: RemoteFile(name: "t10k-images-idx3-ubyte.gz", baseURL: mnistBase, sha256: "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
            testLabels: RemoteFile(name: "t10k-labels-idx1-ubyte.gz", baseURL: mnistBase, sha256: "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6")),
        classNames: (0..<10).map(String.init))

    /// Zalando's clothing images, 60,000 + 10,000 of 28×28, 10 classes. Debian: `dataset-fashion-mnist`.
    public static let fashionMNIST = ImageClassificationDataset(
        name: "fashion-mnist",
        layout: .idx(
            trainImages: RemoteFile(name: "train-images-idx3-ubyte.gz", baseURL: kerasBase, sha256: "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
            trainLabels: RemoteFile(name: "train-labels-idx1-ubyte.gz", baseURL: kerasBase, sha256: "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
            testImages: RemoteFile(name: "t10k-images-idx3-ubyte.gz", baseURL: kerasBase, sha256: "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
            testLabels: RemoteFile(name: "t10k-labels-idx1-ubyte.gz", baseURL: kerasBase, sha256: "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5")),
        classNames: ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
        systemDirectory: "/usr/share/datasets/fashion-mnist")

    /// 50,000 + 10,000 colour images of 32×32×3, 10 classes (binary version of the archive).
    public static let cifar10 = ImageClassificationDataset(
        name: "cifar-10",
        layout: .cifarArchive(
            archive: RemoteFile(name: "cifar-10-binary.tar.gz", baseURL: cifarBase, sha256: "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd"),
            trainMembers: (1...5).map { "data_batch_\($0).bin" }, testMember: "test_batch.bin", labelBytes: 1, labelIndex: 0),
        classNames: ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"])

    /// 50,000 + 10,000 colour images of 32×32×3 with the 100 fine labels (Keras's default `label_mode="fine"`).
    public static let cifar100 = cifar100(coarse: false)

    /// CIFAR-100 with the 20 coarse (super-class) labels, Keras's `label_mode="coarse"`.
    public static let cifar100Coarse = cifar100(coarse: true)

    private static func cifar100(coarse: Bool) -> ImageClassificationDataset {
        ImageClassificationDataset(
            name: "cifar-100",
            layout: .cifarArchive(
                archive: RemoteFile(name: "cifar-100-binary.tar.gz", baseURL: cifarBase, sha256: "58a81ae192c23a4be8b1804d68e518ed807d710a4eb253b1f2a199162a40d8ec"),
                trainMembers: ["train.bin"], testMember: "test.bin", labelBytes: 2, labelIndex: coarse ? 0 : 1),
            classNames: coarse ? CIFAR100ClassNames.coarse : CIFAR100ClassNames.fine)
    }
}
