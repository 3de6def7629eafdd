/// A downloadable image classification dataset (`Datasets.mnist`, `.fashionMNIST`, `.cifar10`, `.cifar100`):
/// `load()` returns `(train, test)` like Keras's `load_data()`.
public struct ImageClassificationDataset: Sendable {
    /// How the files are laid out.
    public enum Layout: Sendable {
        /// Four IDX files (gzip-compressed): train images, train labels, test images, test labels.
        case idx(trainImages: RemoteFile, trainLabels: RemoteFile, testImages: RemoteFile, testLabels: RemoteFile)
        /// A tar.gz of CIFAR binary batches; `labelBytes` per record, of which `labelIndex` is returned.
        case cifarArchive(archive: RemoteFile, trainMembers: [String], testMember: String, labelBytes: Int, labelIndex: Int)
    }

    /// Cache subdirectory name, e.g. "fashion-mnist".
    public var name: String
    /// Where the data lives and in which format.
    public var layout: Layout
    /// Class names, indexed by label.
    public var classNames: [String]
    /// Directory where a Debian package installs the files, if any.
    public var systemDirectory: String?

    /// A dataset called `name` stored in `layout`, with its class names and the Debian package directory where it may already be installed.
    public init(name: String, layout: Layout, classNames: [String], systemDirectory: String? = nil) {
        self.name = name
        self.layout = layout
        self.classNames = classNames
        self.systemDirectory = systemDirectory
    }

    /// Loads the train and test splits.
    /// - Parameters:
    ///   - directory: a directory holding the dataset's files; skips the cache, the Debian package and the download.
    ///   - cacheRoot: replaces `$KESTREL_HOME/datasets`.
    ///   - mirror: a base URL replacing the canonical server.
    ///   - showsProgress: print a progress bar while downloading.
    public func load(directory: String? = nil, cacheRoot: String? = nil, mirror: String? = nil,
                     showsProgress: Bool = true) throws -> (train: LabeledImages, test: LabeledImages) {
        let locator = DatasetFileLocator(datasetName: name, explicitDirectory: directory, cacheRoot: cacheRoot,
                                         systemDirectory: systemDirectory, mirror: mirror,
                                         downloader: FileDownloader(showsProgress: showsProgress))
        switch layout {
        case let .idx(trainImages, trainLabels, testImages, testLabels):
            let train = try loadIDXSplit(images: locator.locate(trainImages), labels: locator.locate(trainLabels))
            let test = try loadIDXSplit(images: locator.locate(testImages), labels: locator.locate(testLabels))
            return (train, test)
        case let .cifarArchive(archive, trainMembers, testMember, labelBytes, labelIndex):
            let path = try locator.locate(archive)
            let tar = try TarArchive(bytes: Gzip.decompress(FileIO.readBytes(path), source: path), source: path)
            func split(_ members: [String]) throws -> LabeledImages {
                var pixels: [UInt8] = []
                var labels: [Int] = []
                for member in members {
                    guard let bytes = tar.file(endingWith: "/" + member) ?? tar.file(endingWith: member) else {
                        throw DataError.corruptFile(path, "archive has no member \(member)")
                    }
                    let batch = try CIFARBinary.parse(bytes, labelBytes: labelBytes, labelIndex: labelIndex, source: "\(path):\(member)")
                    pixels += batch.pixels
                    labels += batch.labels
                }
                try checkLabels(labels, source: path)
                return LabeledImages(pixels: pixels, shape: [labels.count, 32, 32, 3], labels: labels, classNames: classNames)
            }
            return (try split(trainMembers), try split([testMember]))
        }
    }

    private func loadIDXSplit(images imagePath: String, labels labelPath: String) throws -> LabeledImages {
        let images = try IDXFile(contentsOf: imagePath)
        let labels = try IDXFile(contentsOf: labelPath)
        guard images.shape.count == 3 else { throw DataError.corruptFile(imagePath, "expected N×H×W images, found shape \(images.shape)") }
        guard labels.shape.count == 1, labels.shape[0] == images.shape[0] else {
            throw DataError.corruptFile(labelPath, "expected \(images.shape[0]) labels to match \(imagePath), found shape \(labels.shape)")
        }
        let labelValues = labels.bytes.map(Int.init)
        try checkLabels(labelValues, source: labelPath)
        return LabeledImages(pixels: images.bytes, shape: images.shape, labels: labelValues, classNames: classNames)
    }

    private func checkLabels(_ labels: [Int], source: String) throws {
        if let bad = labels.first(where: { $0 >= classNames.count }) {
            throw DataError.corruptFile(source, "label \(bad) is out of range for \(classNames.count) classes")
        }
    }
}
