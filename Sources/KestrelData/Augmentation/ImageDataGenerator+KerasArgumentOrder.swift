extension ImageDataGenerator {
    /// `flowFromDirectory` in the order the Keras tutorials write it, `batchSize:` before `classMode:`
    /// (`flow_from_directory(train_dir, target_size=(150, 150), batch_size=20, class_mode='binary')`). Both
    /// are required here, so no call is ambiguous with the declared order; the same dataset as that one.
    public func flowFromDirectory(_ directory: String, targetSize: (height: Int, width: Int) = (256, 256),
                                  colorMode: ColorMode = .rgb, classes: [String]? = nil, batchSize: Int,
                                  classMode: ClassMode, shuffle: Bool = true, seed: UInt64? = nil,
                                  interpolation: Interpolation = .nearest) throws -> Dataset {
        try flowFromDirectory(directory, targetSize: targetSize, colorMode: colorMode, classes: classes, classMode: classMode,
                              batchSize: batchSize, shuffle: shuffle, seed: seed, interpolation: interpolation)
    }
}
