// The training log is Kestrel's (the table `History` wraps); a diagnosis reads it as it is, so code
// that imports only KestrelDiagnostics sees the same types.
@_exported import struct Kestrel.TrainingLog
@_exported import enum Kestrel.TrainingLogError
@_exported import enum Kestrel.HistoryFile
@_exported import struct Kestrel.DataFingerprint
