#if canImport(Glibc)
@preconcurrency import Glibc
#else
@preconcurrency import Darwin
#endif

/// Standard output settings for the training commands.
enum StandardOutput {
    /// Line-buffers stdout, so `print()` lines and fit's progress lines (written straight to the
    /// file descriptor) stay in order when the output is piped or redirected.
    static func lineBuffered() {
        setvbuf(stdout, nil, _IOLBF, 0)
    }
}
