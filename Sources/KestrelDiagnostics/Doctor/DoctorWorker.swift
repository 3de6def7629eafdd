import Foundation
import Kestrel

/// The worker side of `DoctorWorkerPool`: a process that has loaded the same recipe and data as
/// the doctor reads one `DoctorJob` (JSON) per line, trains it, and answers one line
/// `kestrel-doctor-result {"result": …}` (or `{"error": "…"}`) per job.
public enum DoctorWorker {
    /// What starts every answer line (other lines on the worker's output are passed on to stderr).
    public static let replyPrefix = "kestrel-doctor-result "
    /// The environment variable through which `DoctorWorkerPool` tells a worker its parent's process id.
    public static let parentVariable = "KESTREL_DOCTOR_PARENT"

    /// Ties a worker to the doctor that started it: a background task checks four times a second that the
    /// parent named by `parentVariable` is still this process's parent, and ends the process when
    /// it is not (the doctor was killed; a worker in the middle of a long run would otherwise train
    /// on alone). Does nothing outside a worker (the variable unset).
    public static func exitWithParent(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let text = environment[parentVariable], let parent = Int32(text), parent > 1 else { return }
        DispatchQueue.global(qos: .utility).async {
            while getppid() == parent { usleep(250_000) }
            _exit(70)
        }
    }

    /// Serves jobs from `readLine` until it returns nil (the doctor closed the pipe), writing each
    /// answer line (with its newline) through `write`.
    public static func serve(base: TrainingRecipe, data: TrainingData, readLine: () -> String?, write: (String) -> Void) {
        while let line = readLine() {
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            write(reply(to: line, base: base, data: data) + "\n")
        }
    }

    /// The answer line to one job line.
    static func reply(to line: String, base: TrainingRecipe, data: TrainingData) -> String {
        var reply = DoctorWorkerReply()
        do {
            let job = try DoctorWire.decoder().decode(DoctorJob.self, from: Data(line.utf8))
            reply.result = try SequentialDoctorRunner.run(job, base: base, data: data)
        } catch {
            reply.error = "\(error)"
        }
        let encoded = (try? DoctorWire.encoder().encode(reply)) ?? Data(#"{"error":"the worker could not encode its result"}"#.utf8)
        return replyPrefix + String(decoding: encoded, as: UTF8.self)
    }
}

/// One answer of a worker: the run's result or the error that stopped it.
struct DoctorWorkerReply: Codable {
    var result: DoctorRunResult?
    var error: String?
}

/// The JSON settings of the doctor's pipe (one line per message) and of the `kestrel` sweeps' run records
/// and exchanged results: sorted keys (the same bytes for the same record), NaN and ±∞ as strings; Doubles
/// in their shortest exact form, so a history read back equals the one written, to the bit.
package enum DoctorWire {
    package static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    package static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
