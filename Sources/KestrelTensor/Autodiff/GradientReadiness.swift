/// Where the backward passes of the current task report gradients as they become final.
public enum GradientReadiness {
    /// The observer told of every target's gradient the moment it is final (default nil: none, and the
    /// backward pass costs nothing extra).
    @TaskLocal public static var observer: (any GradientReadyObserver)?
}
