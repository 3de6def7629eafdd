// The image geometry the augmentations draw lives with the resampling kernel in KestrelTensor; code that
// imports only KestrelData sees the same types.
@_exported import struct KestrelTensor.AffineTransform
@_exported import enum KestrelTensor.FillMode
@_exported import enum KestrelTensor.Interpolation
