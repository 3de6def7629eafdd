import Foundation

/// What a path names before Kestrel opens it to read: only a regular file has a known size and an end.
/// Opening a FIFO blocks until someone writes to it, and `/dev/zero` or `/dev/urandom` never end, so
/// every reader of user files asks here first (`stat` follows symbolic links and never blocks) and
/// reports what the path really is — a folder, a FIFO, a device — instead of "no such file" or a hang.
public enum InputFile {
    /// The kind of thing at a path.
    public enum Kind: Equatable, Sendable {
        /// Nothing there (or a dangling symbolic link).
        case missing
        /// A regular file of `size` bytes.
        case regular(size: Int)
        /// A folder.
        case directory
        /// A FIFO (named pipe).
        case fifo
        /// A Unix-domain socket.
        case socket
        /// A character device such as `/dev/zero`.
        case characterDevice
        /// A block device such as a disk.
        case blockDevice
        /// Something `stat` could not classify or read (its reason).
        case unreadable(String)

        /// Whether this is a regular file.
        public var isRegular: Bool {
            if case .regular = self { return true }
            return false
        }

        /// The words for a message: "a folder", "a FIFO (named pipe)"…
        public var description: String {
            switch self {
            case .missing: return "missing"
            case .regular(let size): return "a regular file of \(size) bytes"
            case .directory: return "a folder"
            case .fifo: return "a FIFO (named pipe)"
            case .socket: return "a socket"
            case .characterDevice: return "a character device (like /dev/zero)"
            case .blockDevice: return "a block device"
            case .unreadable(let reason): return "unreadable (\(reason))"
            }
        }
    }

    /// What `path` names, symbolic links followed.
    public static func kind(of path: String) -> Kind {
        var info = stat()
        guard stat(RawFileName.encode(path), &info) == 0 else {
            let code = errno
            return code == ENOENT || code == ENOTDIR ? .missing : .unreadable(String(cString: strerror(code)))
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regular(size: Int(info.st_size))
        case S_IFDIR: return .directory
        case S_IFIFO: return .fifo
        case S_IFSOCK: return .socket
        case S_IFCHR: return .characterDevice
        case S_IFBLK: return .blockDevice
        default: return .unreadable("an unknown file type")
        }
    }

    /// The size of the regular file at `path`; throws a `DataError` that names `argument` (a command-line
    /// option or API argument, when given) and the path, says what is there instead and what to pass:
    /// `expected` describes the file wanted ("a .keras model file").
    @discardableResult
    public static func checkRegular(_ path: String, argument: String? = nil, expected: String) throws -> Int {
        let prefix = argument.map { "\($0): " } ?? ""
        let shown = RawFileName.display(path)
        switch kind(of: path) {
        case .regular(let size):
            return size
        case .missing:
            throw DataError("\(prefix)'\(shown)' does not exist (no such file); check the path (\(expected) is expected).")
        case .directory:
            throw DataError("\(prefix)'\(shown)' is a folder, not \(expected); pass the file itself.")
        case .unreadable(let reason):
            throw DataError("\(prefix)'\(shown)' cannot be examined (\(reason)); check its permissions (\(expected) is expected).")
        case let other:
            throw DataError("\(prefix)'\(shown)' is not a regular file but \(other.description); Kestrel reads only regular files (whose size is known and which end) — pass the path of \(expected).")
        }
    }

    /// The contents of the regular file at `path`, at most `limit` bytes; throws naming the file when it
    /// is not a regular file, is larger than `limit`, or grows past it while being read.
    public static func read(_ path: String, argument: String? = nil, expected: String, limit: Int) throws -> Data {
        let size = try checkRegular(path, argument: argument, expected: expected)
        let prefix = argument.map { "\($0): " } ?? ""
        let shown = RawFileName.display(path)
        guard size <= limit else {
            throw DataError("\(prefix)'\(shown)' holds \(size) bytes, more than the \(limit) Kestrel reads for \(expected); it is not \(expected), or pass a smaller one.")
        }
        let descriptor = open(RawFileName.encode(path), O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            throw DataError("\(prefix)'\(shown)' cannot be opened (\(String(cString: strerror(errno)))); check its permissions.")
        }
        defer { close(descriptor) }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            guard count >= 0 else {
                throw DataError("\(prefix)'\(shown)' cannot be read (\(String(cString: strerror(errno)))).")
            }
            if count == 0 { return data }
            guard data.count + count <= limit else {
                throw DataError("\(prefix)'\(shown)' grew past \(limit) bytes while being read; pass a file that is not being written.")
            }
            data.append(contentsOf: chunk[0..<count])
        }
    }
}
