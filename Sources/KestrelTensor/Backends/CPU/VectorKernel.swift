#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Four-lane helpers for the optimizer update loops. The compiler does not vectorise square roots in
/// these loops by itself (it emits one `sqrtss` per element), which made Adam-family steps ~5× slower
/// than the memory traffic allows; here the square root is the SSE `sqrtps` instruction.
enum VectorKernel {
    typealias Lanes = SIMD4<Float>

    /// Elementwise square root (IEEE-exact, like the scalar one).
    @inline(__always)
    static func sqrt(_ x: Lanes) -> Lanes {
        #if arch(x86_64)
        return _mm_sqrt_ps(x)
        #else
        return x.squareRoot()
        #endif
    }

    /// Calls `body(start, laneCount)` over `range` in steps of four; the last call may have 1–3 lanes.
    @inline(__always)
    static func forEachLanes(in range: Range<Int>, _ body: (Int, Int) -> Void) {
        var index = range.lowerBound
        while index &+ 4 <= range.upperBound {
            body(index, 4)
            index &+= 4
        }
        if index < range.upperBound { body(index, range.upperBound &- index) }
    }

    /// Reads `lanes` values from `pointer + start` (missing lanes are 0).
    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>, _ start: Int, _ lanes: Int) -> Lanes {
        if lanes == 4 { return UnsafeRawPointer(pointer + start).loadUnaligned(as: Lanes.self) }
        var result = Lanes()
        for lane in 0..<lanes { result[lane] = pointer[start &+ lane] }
        return result
    }

    /// Reads `lanes` values from a mutable pointer.
    @inline(__always)
    static func load(_ pointer: UnsafeMutablePointer<Float>, _ start: Int, _ lanes: Int) -> Lanes {
        load(UnsafePointer(pointer), start, lanes)
    }

    /// Writes the first `lanes` values of `value` to `pointer + start`.
    @inline(__always)
    static func store(_ value: Lanes, _ pointer: UnsafeMutablePointer<Float>, _ start: Int, _ lanes: Int) {
        if lanes == 4 {
            UnsafeMutableRawPointer(pointer + start).storeBytes(of: value, as: Lanes.self)
            return
        }
        for lane in 0..<lanes { pointer[start &+ lane] = value[lane] }
    }
}
