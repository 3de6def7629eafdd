@_exported import KestrelTensor
@_exported import KestrelData
