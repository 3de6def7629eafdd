import Foundation

/// How the CPU backend computes a 2-D convolution (`EngineConfiguration.convolutionAlgorithm`).
///
/// Winograd minimal filtering (Lavin & Gray 2016) applies to 3×3 kernels with stride 1; every other
/// convolution uses im2col + GEMM whatever this says. Docs/Winograd.md gives each method's error
/// against im2col and the measurements behind the automatic rule.
public enum ConvolutionAlgorithm: Sendable, Equatable {
    /// Chosen per layer shape by a fixed rule derived from measured speed (`winogradTile(for:outputChannels:)`).
    case automatic
    /// im2col + GEMM everywhere (the direct method).
    case im2col
    /// Winograd F(2×2, 3×3) wherever it applies: 2.25× fewer multiplications than direct.
    case winograd2x2
    /// Winograd F(4×4, 3×3) wherever it applies: 4× fewer multiplications, a larger rounding error.
    case winograd4x4
    /// Intel's oneDNN where its measured table gives it the pass (`OneDNNConvolution.measuredVariant`:
    /// its Winograd on AVX-512 for 3×3 layers of ≥ 64 channels), im2col elsewhere. Only with the `OneDNN`
    /// package trait; without it, im2col. Slower here than `.automatic` (Docs/Backends.md).
    case oneDNN

    /// The setting named by `text` as in `KESTREL_CONVOLUTION` (`automatic`, `im2col`, `winograd2x2`,
    /// `winograd4x4`, `onednn`; empty or unset: automatic), or nil for anything else.
    init?(environmentValue text: String?) {
        switch text?.trimmingCharacters(in: .whitespaces).lowercased() {
        case nil, "", "automatic": self = .automatic
        case "im2col": self = .im2col
        case "winograd2x2": self = .winograd2x2
        case "winograd4x4": self = .winograd4x4
        case "onednn": self = .oneDNN
        default: return nil
        }
    }

    /// The Winograd output tile (2 or 4) this setting uses for a convolution, or nil for im2col.
    func winogradTile(for geometry: WindowGeometry, outputChannels: Int) -> Int? {
        guard geometry.windowHeight == 3, geometry.windowWidth == 3, geometry.strideHeight == 1,
              geometry.strideWidth == 1, geometry.outputPixels > 0, geometry.channels > 0, outputChannels > 0 else {
            return nil
        }
        switch self {
        case .im2col, .oneDNN: return nil
        case .winograd2x2: return 2
        case .winograd4x4: return 4
        case .automatic: return Self.automaticTile(for: geometry, outputChannels: outputChannels)
        }
    }

    /// The measured rule (Docs/Winograd.md): Winograd where both channel counts are large enough for its
    /// batched GEMMs to run near BLAS speed (F(4×4) won every measured shape with Cin ≥ 64; at Cin = 3 it
    /// did not), with the tile that needs fewer transformed-domain products for this output size (F(4×4)
    /// unless the output is so small that its tiles are mostly padding), and im2col where even that tile
    /// needs as many products per output as the direct method's 9.
    private static func automaticTile(for geometry: WindowGeometry, outputChannels: Int) -> Int? {
        guard geometry.channels >= 32, outputChannels >= 32 else { return nil }
        let products = [4, 2].map { tile in (tile, productsPerImage(geometry, tile: tile)) }
        guard let best = products.min(by: { $0.1 < $1.1 }), best.1 < 9 * geometry.outputPixelsPerImage else { return nil }
        return best.0
    }

    /// Multiplications per input–output channel pair and image: (m + 2)² per m×m tile.
    private static func productsPerImage(_ geometry: WindowGeometry, tile: Int) -> Int {
        let tiles = ((geometry.outputHeight + tile - 1) / tile) * ((geometry.outputWidth + tile - 1) / tile)
        return tiles * (tile + 2) * (tile + 2)
    }
}
