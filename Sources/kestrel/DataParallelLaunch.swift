import Foundation
import Kestrel
import KestrelDiagnostics
import KestrelDistributed
import KestrelRecipes

/// `mpirun -np N kestrel fit …` for one run: the ranks train that run together, data-parallel (each
/// rank `--batch-size` rows of every global batch, gradients averaged every step); rank 0 alone prints
/// and writes. Several runs (`--seeds N`) are spread over the ranks instead (`SweepMode.ranks`).
enum DataParallelLaunch {
    /// The world's communicator when an MPI launcher started several processes for one run; nil for a
    /// single process, a sweep of several seeds, or one share of a sweep.
    static func communicator(seeds: Int, mode: SweepMode,
                             environment: [String: String] = ProcessInfo.processInfo.environment) throws -> (any Communicator)? {
        guard seeds == 1, case .single = mode else { return nil }
        do {
            guard let launch = try LaunchEnvironment.detect(environment), launch.size > 1 else { return nil }
            return try Communicators.world(environment: environment)
        } catch let error as DistributedError {
            throw CommandFailure(message: error.message)
        }
    }

    /// The recipe's fit, data-parallel over `communicator`'s ranks.
    static func fit(_ communicator: any Communicator) -> RecipeTrainer.CustomFit {
        RecipeTrainer.CustomFit { network, arguments in
            try network.fit(arguments.x, arguments.y, epochs: arguments.epochs, batchSize: arguments.batchSize,
                            verbose: arguments.verbose, validationSplit: arguments.validationSplit,
                            validationData: arguments.validationData, callbacks: arguments.callbacks,
                            initialEpoch: arguments.initialEpoch, distribution: .dataParallel(communicator: communicator))
        }
    }
}
