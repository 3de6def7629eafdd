import Dispatch
import Foundation
import KestrelData

/// Measures augmentation throughput: flip + rotation + translation on 32×32×3 batches (the issue asks ≥ 20,000 images/s on 2 cores).
func runAugmentationBenchmark() {
    let batchSize = 256
    var generator = DataRandomGenerator(seed: 42)
    let pixels = (0..<(batchSize * 32 * 32 * 3)).map { _ in Float(generator.next() % 256) }
    guard let batch = try? ImageBatch(pixels: pixels, shape: [batchSize, 32, 32, 3]),
          let rotation = try? RandomRotationTransform(factor: 0.1),
          let translation = try? RandomTranslationTransform(heightFactor: 0.1, widthFactor: 0.1) else {
        print("augmentation benchmark: setup failed")
        return
    }
    let pipeline = AugmentationPipeline([RandomFlipTransform(mode: .horizontal), rotation, translation])
    var checksum: Float = 0
    for _ in 0..<5 { checksum += pipeline.apply(to: batch, generator: &generator).pixels[0] } // warm-up
    var images = 0
    let start = DispatchTime.now().uptimeNanoseconds
    var elapsed = 0.0
    while elapsed < 2.0 {
        checksum += pipeline.apply(to: batch, generator: &generator).pixels[17]
        images += batchSize
        elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
    let rate = Double(images) / elapsed
    print(String(format: "augmentation: flip+rotation+translation, 32x32x3, batch %d, %d cores: %.0f images/s (checksum %.1f)",
                 batchSize, ProcessInfo.processInfo.activeProcessorCount, rate, checksum))
}
