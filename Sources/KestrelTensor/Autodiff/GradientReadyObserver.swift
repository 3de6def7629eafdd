/// Told each target's gradient during a backward pass as soon as that gradient is final, before the
/// rest of the backward pass runs (PyTorch DDP's gradient-ready hooks, Horovod's per-tensor hooks):
/// data-parallel training starts all-reducing the last layers' gradients while the first layers'
/// are still being computed.
///
/// Install one with `GradientReadiness.$observer.withValue(observer) { … }`; without one the backward
/// pass does no extra work.
public protocol GradientReadyObserver: AnyObject, Sendable {
    /// `gradient` is target `index`'s (of `count` targets) final gradient, the same tensor the backward
    /// pass returns for it. Called once per target and backward pass, in the order the gradients become
    /// final (reverse topological order; targets the output does not depend on come last, with zeros).
    /// A thrown error ends the backward pass.
    func gradientIsReady(_ gradient: Tensor, index: Int, count: Int) throws
}
