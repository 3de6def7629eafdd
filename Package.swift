// swift-tools-version: 6.1
import PackageDescription

/// The option parser the CLI and the examples share.
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
    name: "Kestrel",
    products: [
        .library(name: "Kestrel", targets: ["Kestrel"]),
        .library(name: "KestrelRecipes", targets: ["KestrelRecipes"]),
        .library(name: "KestrelDiagnostics", targets: ["KestrelDiagnostics"]),
        .library(name: "KestrelDashboard", targets: ["KestrelDashboard"]),
        .library(name: "KestrelDistributed", targets: ["KestrelDistributed"]),
        .executable(name: "kestrel", targets: ["kestrel"]),
    ],
    // `MPI`: data-parallel training and sweeps over Open MPI (KestrelDistributed's MPICommunicator). Off by
    // default, so a package depending on Kestrel needs no Open MPI; Kestrel's own make commands enable it
    // (`swift build --traits MPI`); a dependent asks for it with `traits: ["MPI"]` on its `.package(...)`.
    traits: [
        .trait(name: "MPI", description: "Data-parallel fit and sweeps over Open MPI (needs libopenmpi-dev)."),
        // `OneDNN`: the CPU backend runs the convolution shapes and passes where oneDNN measured faster than
        // im2col + OpenBLAS through oneDNN's primitives (Docs/Backends.md). Off by default like MPI.
        .trait(name: "OneDNN", description: "oneDNN convolution primitives in the CPU backend (needs libdnnl-dev)."),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // `make docs`: the DocC catalog in Sources/Kestrel/Kestrel.docc (a command plugin; nothing it builds is linked).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // The live dashboard's HTTP server (`kestrel fit --dashboard`, `kestrel serve`): Hummingbird 2 over SwiftNIO;
        // the NIO packages are Hummingbird's own dependencies, named here because the dashboard adds channel handlers.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
    ],
    targets: [
        // System libraries (Debian packages, see Makefile).
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        // zlib is CSystemZlib: ZIPFoundation brings its own module named CZlib.
        .systemLibrary(name: "CSystemZlib", path: "Sources/CSystemZlib"),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG"),
        .systemLibrary(name: "CJPEG", path: "Sources/CJPEG"),
        .systemLibrary(name: "CArchive", path: "Sources/CArchive"),
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5-serial"),
        .systemLibrary(name: "CRSVG", path: "Sources/CRSVG", pkgConfig: "librsvg-2.0",
                       providers: [.apt(["librsvg2-dev", "libcairo2-dev"])]),
        // Open MPI, only with the MPI trait (see `traits`).
        .systemLibrary(name: "CMPI", path: "Sources/CMPI", pkgConfig: "ompi-c",
                       providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]),
        // oneDNN (Intel's CPU primitive library), only with the OneDNN trait.
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL", providers: [.apt(["libdnnl-dev"])]),

        // Kestrel's own C: processor-mode helpers and optimizer kernels with a run-time AVX2 path.
        .target(name: "CKernels"),

        // Engine, data, Keras API, diagnostics, CLI.
        // No unsafe build flags anywhere: SwiftPM refuses them in a versioned dependency
        // (scripts/check-versioned-dependency.sh checks it); the kernels get their speed from
        // unchecked pointer loops instead.
        .target(name: "KestrelTensor", dependencies: ["CBLAS", "CKernels",
                                                    .target(name: "CDNNL", condition: .when(traits: ["OneDNN"]))]),
        .target(name: "KestrelData", dependencies: ["KestrelTensor", "CSystemZlib", "CPNG", "CJPEG", "CArchive",
                                                   .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Kestrel", dependencies: [
            "KestrelData", "KestrelTensor", "CHDF5",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // The CLI's recipe layer: a training run as plain data (model spec, compile and fit options, callbacks),
        // its images, and the trainer that `kestrel fit`, `kestrel demo`, the doctor and the tuner run.
        .target(name: "KestrelRecipes", dependencies: ["Kestrel"]),
        .target(name: "KestrelDiagnostics", dependencies: ["Kestrel", "KestrelRecipes", "KestrelTensor", "CRSVG"]),
        // Data parallelism (Horovod's shape): a Communicator (one process, or Open MPI with the MPI trait).
        .target(name: "KestrelDistributed", dependencies: [
            "Kestrel", "KestrelTensor", .target(name: "CMPI", condition: .when(traits: ["MPI"])),
        ]),
        .target(name: "KestrelDashboard", dependencies: [
            "KestrelDiagnostics", "Kestrel",
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "_NIOFileSystem", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "kestrel", dependencies: [
            "KestrelDashboard", "KestrelDiagnostics", "KestrelRecipes", "Kestrel", "KestrelDistributed",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Examples: one short program per classic Keras tutorial (see README).
        .executableTarget(name: "MLPVariants", dependencies: ["Kestrel", "KestrelDiagnostics", argumentParser], path: "Examples/MLPVariants"),
        .executableTarget(name: "CNNRegularization", dependencies: ["Kestrel", "KestrelDiagnostics", argumentParser], path: "Examples/CNNRegularization"),
        .executableTarget(name: "CapacityStudy", dependencies: ["Kestrel", "KestrelDiagnostics", argumentParser], path: "Examples/CapacityStudy"),
        .executableTarget(name: "EpochsStudy", dependencies: ["Kestrel", "KestrelDiagnostics", argumentParser], path: "Examples/EpochsStudy"),
        .executableTarget(name: "CustomTrainingLoop", dependencies: ["Kestrel", "KestrelDiagnostics", argumentParser], path: "Examples/CustomTrainingLoop"),
        .executableTarget(name: "TransferLearning", dependencies: ["Kestrel", "KestrelDiagnostics", argumentParser], path: "Examples/TransferLearning"),
        .executableTarget(name: "Regression", dependencies: ["Kestrel", "KestrelDiagnostics", argumentParser], path: "Examples/Regression"),
        .executableTarget(name: "OverfitUnderfit", dependencies: ["Kestrel", "KestrelDiagnostics", argumentParser], path: "Examples/OverfitUnderfit"),
        .executableTarget(name: "TextClassification", dependencies: ["Kestrel", "KestrelDiagnostics", argumentParser], path: "Examples/TextClassification"),
        .executableTarget(name: "OverfitUnderfitIMDB", dependencies: ["Kestrel", "KestrelDiagnostics", argumentParser], path: "Examples/OverfitUnderfitIMDB"),
        .executableTarget(name: "ClassifyImage", dependencies: ["Kestrel", "KestrelDiagnostics", argumentParser], path: "Examples/ClassifyImage", exclude: ["sample.png"]),
        // Writes Kestrel models for scripts/keras_roundtrip.py to load with real Keras 3.
        .executableTarget(name: "KerasRoundTrip", dependencies: ["Kestrel"]),
        .executableTarget(name: "Benchmarks", dependencies: ["Kestrel", "KestrelData", "KestrelTensor", "CBLAS"]),

        .testTarget(name: "KestrelTensorTests", dependencies: ["KestrelTensor"]),
        .testTarget(name: "KestrelDataTests", dependencies: ["KestrelData", .product(name: "Crypto", package: "swift-crypto")]),
        // A training program the crash-safety test kills with SIGKILL and runs again (BackupAndRestore).
        .executableTarget(name: "CrashResumeProgram", dependencies: ["Kestrel"], path: "Tests/CrashResumeProgram"),
        .testTarget(name: "KestrelTests", dependencies: ["Kestrel", "CrashResumeProgram"]),
        // A data-parallel training program the distributed tests launch under `mpirun -np 2`.
        .executableTarget(name: "DataParallelProgram", dependencies: ["KestrelDistributed", "Kestrel"],
                          path: "Tests/DataParallelProgram"),
        .testTarget(name: "KestrelDistributedTests", dependencies: ["KestrelDistributed", "Kestrel", "DataParallelProgram"]),
        // Public Keras/TensorFlow tutorials ported line by line (each Keras line above its Swift line), and the tutorial examples, run on small data.
        .testTarget(name: "PortedTutorialsTests", dependencies: ["Kestrel", "Regression", "OverfitUnderfit", "TextClassification", "OverfitUnderfitIMDB"]),
        .testTarget(name: "KestrelDiagnosticsTests", dependencies: ["KestrelDiagnostics", "KestrelData", "CSystemZlib"]),
        .testTarget(name: "KestrelDashboardTests", dependencies: ["KestrelDashboard", "KestrelDiagnostics", "Kestrel", "KestrelData",
                                                              "KestrelDistributed"]),
    ],
    swiftLanguageModes: [.v6]
)
