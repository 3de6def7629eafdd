import CHDF5
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// An HDF5 file read or written through Debian's libhdf5: Keras's `.weights.h5` files and the
/// `model.weights.h5` member of `.keras` archives. New files and files given as bytes live in memory
/// (core driver, no backing file); a file on disk is opened by libhdf5 itself, which reads each dataset
/// straight into the caller's buffer (no copy of the whole file in memory), while the header checks
/// read the few header bytes they need through a read-only mapping of the same file.
///
/// libhdf5 (the serial build) is not thread-safe, so every call runs under one process-wide lock.
/// Its own error printing is turned off; failures become `KestrelError.fileError` naming `fileName`.
final class HDF5File {
    /// The name used in error messages (the file or archive member).
    let fileName: String
    /// The size of the image the file was opened from (0 for a new file); bounds what may be read.
    let imageSize: Int
    let handle: hid_t
    /// The link-access property list every read goes through: external links fail to traverse (the
    /// callback refuses them) and soft links resolve at most 8 deep. Defence in depth behind
    /// `checkLinksAndStorage`, which refuses a file holding any external link before anything is read.
    let linkAccess: hid_t
    /// The bytes of an opened file, which the header checks (`HDF5LayoutProbe`) read.
    let backing: Backing?

    /// Where an opened file's bytes are.
    enum Backing {
        /// A copy in memory that libhdf5 reads in place (never copied again); freed after closing.
        case owned(UnsafeMutableRawBufferPointer)
        /// A read-only mapping of the file libhdf5 opened; unmapped after closing. Only the pages the
        /// header checks touch are ever read through it.
        case mapped(UnsafeRawBufferPointer)

        /// The whole file's bytes.
        var bytes: UnsafeRawBufferPointer {
            switch self {
            case .owned(let bytes): return UnsafeRawBufferPointer(bytes)
            case .mapped(let bytes): return bytes
            }
        }

        /// Frees the copy or removes the mapping.
        func release() {
            switch self {
            case .owned(let bytes): bytes.deallocate()
            case .mapped(let bytes): munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
            }
        }
    }

    /// Where the superblock starts (after a user block, which Keras never writes and h5py may).
    let superblockOffset: Int

    /// The file's bytes from the superblock on (addresses inside the file count from there), for the header checks.
    var storage: UnsafeRawBufferPointer? {
        guard let whole = backing?.bytes else { return nil }
        return UnsafeRawBufferPointer(rebasing: whole[superblockOffset...])
    }

    /// The most links `checkLinksAndStorage` visits (a Keras weights file holds a few per layer).
    static let linkLimit = 1 << 20
    /// The deepest group nesting `checkLinksAndStorage` follows (Keras nests a handful of levels).
    static let depthLimit = 64

    private static let lock = Mutex<Bool>(false)

    /// Runs `body` holding the libhdf5 lock, with error printing silenced.
    static func locked<Result>(_ body: () throws -> Result) rethrows -> Result {
        try lock.withLock { silenced in
            if !silenced {
                kestrel_h5_silence_errors()
                silenced = true
            }
            return try body()
        }
    }

    private init(handle: hid_t, linkAccess: hid_t, backing: Backing?, fileName: String, imageSize: Int, superblockOffset: Int = 0) {
        self.handle = handle
        self.linkAccess = linkAccess
        self.backing = backing
        self.fileName = fileName
        self.imageSize = imageSize - superblockOffset
        self.superblockOffset = superblockOffset
    }

    deinit {
        HDF5File.locked {
            _ = H5Fclose(handle)
            _ = H5Pclose(linkAccess)
        }
        backing?.release()
    }

    /// A link-access property list on which external links cannot be traversed (must hold the lock).
    private static func makeLinkAccess(_ fileName: String) throws -> hid_t {
        let access = H5Pcreate(kestrel_h5_link_access())
        guard access >= 0 else { throw failure(fileName, "cannot make a link-access property list") }
        guard H5Pset_elink_cb(access, { _, _, _, _, _, _, _ in -1 }, nil) >= 0, H5Pset_nlinks(access, 8) >= 0 else {
            H5Pclose(access)
            throw failure(fileName, "cannot restrict link traversal")
        }
        return access
    }

    /// A new, empty file in memory.
    static func create(fileName: String) throws -> HDF5File {
        try locked {
            let access = H5Pcreate(kestrel_h5_file_access())
            guard access >= 0 else { throw failure(fileName, "cannot make a file-access property list") }
            defer { H5Pclose(access) }
            H5Pset_fapl_core(access, 1 << 16, false)
            let linkAccess = try makeLinkAccess(fileName)
            let handle = H5Fcreate("kestrel-\(UUID().uuidString).h5", kestrel_h5f_acc_excl(), kestrel_h5_default(), access)
            guard handle >= 0 else {
                H5Pclose(linkAccess)
                throw failure(fileName, "libhdf5 cannot create an in-memory file")
            }
            return HDF5File(handle: handle, linkAccess: linkAccess, backing: nil, fileName: fileName, imageSize: 0)
        }
    }

    /// Opens the HDF5 bytes `image` read-only. libhdf5 reads one copy of the bytes in place. A file that
    /// reaches outside itself (an external or user-defined link, a dataset stored in another file, a
    /// virtual dataset) is refused before any value is read.
    static func open(image: Data, fileName: String) throws -> HDF5File {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(image.count, 1), alignment: 16)
        image.copyBytes(to: storage)
        return try open(.owned(storage), size: image.count, fileName: fileName) {
            H5LTopen_file_image(storage.baseAddress, storage.count, kestrel_h5lt_read_in_place())
        }
    }

    /// Opens `backing` (of which the first `size` bytes are the file) with `openHandle` (called holding
    /// the lock); on any error before the file is made, `backing` is released. Then refuses a file that
    /// reaches outside itself.
    private static func open(_ backing: Backing, size: Int, fileName: String,
                             openHandle: () throws -> hid_t) throws -> HDF5File {
        let file: HDF5File
        do {
            let offset = try superblockOffset(UnsafeRawBufferPointer(rebasing: backing.bytes[..<size]), fileName: fileName)
            file = try locked {
                let linkAccess = try makeLinkAccess(fileName)
                let handle: hid_t
                do { handle = try openHandle() } catch {
                    H5Pclose(linkAccess)
                    throw error
                }
                guard handle >= 0 else {
                    H5Pclose(linkAccess)
                    throw KestrelError.fileError(
                        "'\(fileName)' is not a readable HDF5 file (libhdf5 cannot open it; it may be truncated or damaged). Save it again with Keras 3 or Kestrel.")
                }
                return HDF5File(handle: handle, linkAccess: linkAccess, backing: backing, fileName: fileName, imageSize: size,
                                superblockOffset: offset)
            }
        } catch {
            backing.release()
            throw error
        }
        try file.checkLinksAndStorage()
        return file
    }

    /// Where HDF5's signature starts in `bytes` (`HDF5LayoutProbe.superblockOffset`); throws naming the file when it has none.
    private static func superblockOffset(_ bytes: UnsafeRawBufferPointer, fileName: String) throws -> Int {
        guard let offset = HDF5LayoutProbe.superblockOffset(in: bytes) else {
            throw KestrelError.fileError(
                "'\(fileName)' is not an HDF5 file (it does not start with HDF5's signature); pass a .weights.h5 file written by Keras 3 or Kestrel.")
        }
        return offset
    }

    /// Opens the HDF5 file at `path` read-only, with the same refusals as `open(image:fileName:)`.
    /// libhdf5 reads datasets from the file on demand; the header checks read a read-only mapping of it.
    /// `path` must be a file nobody else writes (a `PrivateTemporaryFile`): a file shrunk while mapped
    /// would fault the process. Its name may be removed as soon as this returns.
    static func open(privateFileAt path: String, fileName: String) throws -> HDF5File {
        let mapping = try map(path, fileName: fileName)
        return try open(.mapped(mapping), size: mapping.count, fileName: fileName) {
            let access = H5Pcreate(kestrel_h5_file_access())
            guard access >= 0 else { throw failure(fileName, "cannot make a file-access property list") }
            defer { H5Pclose(access) }
            // The file is private to this process; libhdf5's advisory lock would only fail on file systems without flock.
            _ = H5Pset_file_locking(access, false, true)
            return H5Fopen(path, kestrel_h5f_acc_rdonly(), access)
        }
    }

    /// A read-only mapping of the whole file at `path` (never empty: an empty file is not HDF5).
    private static func map(_ path: String, fileName: String) throws -> UnsafeRawBufferPointer {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(fileName, "cannot open the weights (\(String(cString: strerror(errno))))") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure(fileName, "cannot read the size of the weights") }
        let size = Int(status.st_size)
        guard size >= 8 else {
            throw KestrelError.fileError(
                "'\(fileName)' is not an HDF5 file (it holds \(size) bytes, fewer than HDF5's signature); pass a .weights.h5 file written by Keras 3 or Kestrel.")
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw failure(fileName, "cannot map the weights into memory (\(String(cString: strerror(errno))))")
        }
        return UnsafeRawBufferPointer(start: address, count: size)
    }

    private static func failure(_ fileName: String, _ problem: String) -> KestrelError {
        KestrelError.fileError("HDF5 file '\(fileName)': \(problem).")
    }

    func failure(_ problem: String) -> KestrelError { HDF5File.failure(fileName, problem) }

    /// The file's bytes, as they would be written to disk.
    func image() throws -> Data {
        try HDF5File.locked {
            guard H5Fflush(handle, H5F_SCOPE_GLOBAL) >= 0 else { throw failure("cannot flush the file") }
            let size = H5Fget_file_image(handle, nil, 0)
            guard size > 0 else { throw failure("cannot read back the file image") }
            var data = Data(count: size)
            let written = data.withUnsafeMutableBytes { H5Fget_file_image(handle, $0.baseAddress, size) }
            guard written == size else { throw failure("cannot read back the file image") }
            return data
        }
    }

    // MARK: Writing

    /// Creates the group at `path` ("layers/dense/vars"), with any missing parents.
    func createGroup(_ path: String) throws {
        try HDF5File.locked {
            var prefix = ""
            for component in path.split(separator: "/") {
                prefix += (prefix.isEmpty ? "" : "/") + component
                if H5Lexists(handle, prefix, kestrel_h5_default()) > 0 { continue }
                let group = H5Gcreate2(handle, prefix, kestrel_h5_default(), kestrel_h5_default(), kestrel_h5_default())
                guard group >= 0 else { throw failure("cannot create group '\(prefix)'") }
                H5Gclose(group)
            }
        }
    }

    /// Sets a variable-length UTF-8 string attribute (as h5py writes `attrs["name"] = "dense"`).
    func setStringAttribute(_ name: String, _ value: String, on path: String) throws {
        try setStringAttribute(name, [value], scalar: true, on: path)
    }

    /// Sets a one-dimensional array of variable-length UTF-8 strings as an attribute (what Keras's legacy HDF5
    /// files keep in `layer_names` and `weight_names`); an empty list gives an empty array.
    func setStringArrayAttribute(_ name: String, _ values: [String], on path: String) throws {
        try setStringAttribute(name, values, scalar: false, on: path)
    }

    /// Sets variable-length UTF-8 strings as an attribute: one value in a scalar dataspace (`scalar`), else an array.
    private func setStringAttribute(_ name: String, _ values: [String], scalar: Bool, on path: String) throws {
        try HDF5File.locked {
            let object = H5Oopen(handle, path, kestrel_h5_default())
            guard object >= 0 else { throw failure("cannot open '\(path)' to set attribute '\(name)'") }
            defer { H5Oclose(object) }
            let type = H5Tcopy(kestrel_h5_c_s1())
            defer { H5Tclose(type) }
            H5Tset_size(type, kestrel_h5t_variable())
            H5Tset_cset(type, H5T_CSET_UTF8)
            var dimensions = [hsize_t(values.count)]
            let space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dimensions, nil)
            guard space >= 0 else { throw failure("cannot make the dataspace of attribute '\(name)' on '\(path)'") }
            defer { H5Sclose(space) }
            let attribute = H5Acreate2(object, name, type, space, kestrel_h5_default(), kestrel_h5_default())
            guard attribute >= 0 else { throw failure("cannot create attribute '\(name)' on '\(path)'") }
            defer { H5Aclose(attribute) }
            guard !values.isEmpty else { return }
            let copies = values.map { strdup($0) }
            defer { for copy in copies { free(copy) } }
            let pointers = copies.map { UnsafePointer<CChar>($0) }
            let status = pointers.withUnsafeBufferPointer { H5Awrite(attribute, type, $0.baseAddress) }
            guard status >= 0 else { throw failure("cannot write attribute '\(name)' on '\(path)'") }
        }
    }

    /// Writes a float32 dataset of `shape` (rank 0 for a scalar) at `path`; the parent group must exist.
    func writeFloats(_ values: [Float], shape: [Int], at path: String) throws {
        try values.withUnsafeBufferPointer { buffer in
            try writeDataset(path, shape: shape, fileType: kestrel_h5_ieee_f32le(), memoryType: kestrel_h5_native_float(),
                             bytes: UnsafeRawPointer(buffer.baseAddress))
        }
    }

    /// Writes an int64 scalar dataset at `path` (Keras's `iterations`).
    func writeInt64Scalar(_ value: Int64, at path: String) throws {
        var copy = value
        try withUnsafePointer(to: &copy) { pointer in
            try writeDataset(path, shape: [], fileType: kestrel_h5_std_i64le(), memoryType: kestrel_h5_native_int64(),
                             bytes: UnsafeRawPointer(pointer))
        }
    }

    private func writeDataset(_ path: String, shape: [Int], fileType: hid_t, memoryType: hid_t, bytes: UnsafeRawPointer?) throws {
        try HDF5File.locked {
            let dimensions = shape.map { hsize_t($0) }
            let space = shape.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(shape.count), dimensions, nil)
            guard space >= 0 else { throw failure("cannot make the dataspace of '\(path)'") }
            defer { H5Sclose(space) }
            let dataset = H5Dcreate2(handle, path, fileType, space, kestrel_h5_default(), kestrel_h5_default(), kestrel_h5_default())
            guard dataset >= 0 else { throw failure("cannot create dataset '\(path)'") }
            defer { H5Dclose(dataset) }
            if shape.contains(0) { return }
            guard H5Dwrite(dataset, memoryType, H5S_ALL, H5S_ALL, kestrel_h5_default(), bytes) >= 0 else {
                throw failure("cannot write dataset '\(path)'")
            }
        }
    }

    // MARK: Reading

    /// What `path` names in the file.
    enum ObjectKind { case missing, group, dataset, other }

    /// Whether `path` is a group, a dataset, something else or absent.
    func kind(of path: String) -> ObjectKind {
        HDF5File.locked {
            var prefix = ""
            for component in path.split(separator: "/") {
                prefix += (prefix.isEmpty ? "" : "/") + component
                guard H5Lexists(handle, prefix, linkAccess) > 0 else { return .missing }
            }
            let object = H5Oopen(handle, path.isEmpty ? "/" : path, linkAccess)
            guard object >= 0 else { return .missing }
            defer { H5Oclose(object) }
            switch H5Iget_type(object) {
            case H5I_GROUP: return .group
            case H5I_DATASET: return .dataset
            default: return .other
            }
        }
    }

    /// The names of the links in the group at `path`, in name order (at most `limit`).
    func childNames(of path: String, limit: Int = 1 << 16) throws -> [String] {
        try HDF5File.locked {
            let group = try openObject(path.isEmpty ? "/" : path, as: H5I_GROUP, what: "group")
            defer { H5Oclose(group) }
            var info = H5G_info_t()
            guard H5Gget_info(group, &info) >= 0 else { throw failure("group '\(path)' cannot be listed") }
            guard info.nlinks <= UInt64(limit) else { throw failure("group '\(path)' declares \(info.nlinks) members, more than the \(limit) allowed") }
            var names: [String] = []
            for index in 0..<info.nlinks {
                let length = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, linkAccess)
                guard length >= 0, length < 4096 else { throw failure("a member name in group '\(path)' cannot be read") }
                var buffer = [CChar](repeating: 0, count: length + 1)
                guard H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, length + 1, linkAccess) >= 0 else {
                    throw failure("a member name in group '\(path)' cannot be read")
                }
                names.append(String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            return names
        }
    }

    /// A dataset's shape and element type, read without reading its values.
    struct DatasetInfo {
        let shape: [Int]
        /// "float16", "float32", "float64", "int64"…, or a description of another type.
        let dtype: String
        let isNumeric: Bool
        var count: Int { shape.reduce(1, *) }
    }

    /// The shape and type of the dataset at `path`.
    func datasetInfo(_ path: String) throws -> DatasetInfo {
        try HDF5File.locked {
            let dataset = try openObject(path, as: H5I_DATASET, what: "dataset")
            defer { H5Oclose(dataset) }
            return try info(of: dataset, path: path)
        }
    }

    private func info(of dataset: hid_t, path: String) throws -> DatasetInfo {
        let space = H5Dget_space(dataset)
        guard space >= 0 else { throw failure("dataset '\(path)' has no readable dataspace") }
        defer { H5Sclose(space) }
        let rank = H5Sget_simple_extent_ndims(space)
        guard rank >= 0, rank <= 32 else { throw failure("dataset '\(path)' has an unreadable rank") }
        var dimensions = [hsize_t](repeating: 0, count: Int(rank))
        if rank > 0 { guard H5Sget_simple_extent_dims(space, &dimensions, nil) == rank else { throw failure("dataset '\(path)' has unreadable sizes") } }
        var shape: [Int] = []
        var count = 1
        for dimension in dimensions {
            guard dimension <= hsize_t(Int32.max) else { throw failure("dataset '\(path)' declares a size of \(dimension)") }
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(dimension))
            guard !overflow, product <= 1 << 40 else { throw failure("dataset '\(path)' declares more values than any model holds") }
            count = product
            shape.append(Int(dimension))
        }
        let type = H5Dget_type(dataset)
        guard type >= 0 else { throw failure("dataset '\(path)' has no readable type") }
        defer { H5Tclose(type) }
        let size = H5Tget_size(type)
        switch H5Tget_class(type) {
        case H5T_FLOAT: return DatasetInfo(shape: shape, dtype: "float\(size * 8)", isNumeric: true)
        case H5T_INTEGER:
            let signed = H5Tget_sign(type) == H5T_SGN_2
            return DatasetInfo(shape: shape, dtype: "\(signed ? "int" : "uint")\(size * 8)", isNumeric: true)
        case H5T_STRING: return DatasetInfo(shape: shape, dtype: "string", isNumeric: false)
        default: return DatasetInfo(shape: shape, dtype: "a non-numeric HDF5 type", isNumeric: false)
        }
    }

    /// Reads the numeric dataset at `path` as float32 values (libhdf5 converts other numeric types).
    /// Refuses datasets declaring more values than the file's size can hold.
    func readFloats(_ path: String) throws -> (shape: [Int], values: [Float]) {
        try readNumbers(path) { shape, count, read in
            var values = [Float](repeating: 0, count: count)
            try values.withUnsafeMutableBufferPointer { buffer in try read(buffer) }
            return (shape, values)
        }
    }

    /// The numbers of the dataset at `path` as a tensor, read by libhdf5 straight into its storage
    /// (no intermediate array: a weight costs its own size once).
    func readTensor(_ path: String) throws -> Tensor {
        try readNumbers(path) { shape, _, read in try Tensor(shape: shape, writingHostValues: read) }
    }

    /// Opens the numeric dataset at `path`, checks its size and layout against the file, and hands
    /// `make` its shape, its element count and a reader that converts every value to Float into a buffer of that size.
    private func readNumbers<Result>(_ path: String,
                                     _ make: ([Int], Int, (UnsafeMutableBufferPointer<Float>) throws -> Void) throws -> Result) throws -> Result {
        try HDF5File.locked {
            let dataset = try openObject(path, as: H5I_DATASET, what: "dataset")
            defer { H5Oclose(dataset) }
            let description = try info(of: dataset, path: path)
            guard description.isNumeric else { throw failure("dataset '\(path)' holds \(description.dtype), not numbers") }
            // Deflate expands at most ~1032:1; anything beyond that cannot come from this file.
            guard description.count <= max(imageSize, 1) * 1032 else {
                throw failure("dataset '\(path)' declares \(description.count) values, more than the file's \(imageSize) bytes can hold")
            }
            try checkStorageInsideFile(dataset, path: path, count: description.count)
            return try make(description.shape, description.count) { buffer in
                guard buffer.count == description.count else { throw failure("dataset '\(path)' has \(description.count) values for shape \(description.shape)") }
                guard let start = buffer.baseAddress, buffer.count > 0 else { return }
                guard H5Dread(dataset, kestrel_h5_native_float(), H5S_ALL, H5S_ALL, kestrel_h5_default(), start) >= 0 else {
                    throw failure("dataset '\(path)' cannot be read (damaged data or an unsupported filter)")
                }
            }
        }
    }

    /// libhdf5 1.10 trusts a dataset's stored address and size: a damaged file can point a contiguous
    /// dataset past the end of the file image and H5Dread then copies from outside it (a crash found by
    /// ModelFileFuzzTests). So contiguous data must lie inside the image. Chunked layouts (which Keras
    /// never writes, h5py does on request) are read with the filters in `supportedFilters` only.
    private func checkStorageInsideFile(_ dataset: hid_t, path: String, count: Int) throws {
        let properties = H5Dget_create_plist(dataset)
        guard properties >= 0 else { throw failure("dataset '\(path)' has no readable layout") }
        defer { H5Pclose(properties) }
        let type = H5Dget_type(dataset)
        defer { H5Tclose(type) }
        let elementSize = H5Tget_size(type)
        guard elementSize > 0, elementSize <= 16 else { throw failure("dataset '\(path)' has an element size of \(elementSize) bytes") }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: elementSize)
        guard !overflow else { throw failure("dataset '\(path)' declares more bytes than the file holds") }
        switch H5Pget_layout(properties) {
        case H5D_COMPACT, H5D_CONTIGUOUS: break
        case H5D_CHUNKED:
            // libhdf5 reads each chunk through the file driver, which stays inside the file; the values it
            // can inflate are bounded by the dataset's shape (checked against the file size above).
            try checkFilters(properties, path: path)
            return
        default:
            throw failure("dataset '\(path)' has a storage layout Kestrel does not support (Keras 3 writes contiguous datasets); save the weights with Keras 3")
        }
        if count == 0 { return }
        // A compact dataset whose buffer size disagrees with its shape also makes libhdf5 1.10 read
        // out of bounds, so the stored size must be exactly what the shape needs.
        guard H5Dget_storage_size(dataset) == hsize_t(bytes) else {
            throw failure("dataset '\(path)' stores \(H5Dget_storage_size(dataset)) bytes but its shape needs \(bytes); the file is damaged")
        }
        if H5Pget_layout(properties) == H5D_CONTIGUOUS {
            let offset = H5Dget_offset(dataset)
            guard offset != kestrel_h5_haddr_undef(), UInt64(offset) <= UInt64(imageSize), UInt64(bytes) <= UInt64(imageSize) - UInt64(offset) else {
                throw failure("dataset '\(path)' points outside the file (its \(bytes) bytes at offset \(offset) do not fit in \(imageSize) bytes); the file is truncated or damaged")
            }
        }
    }

    /// The filters h5py and Keras users apply to chunked weights: gzip (deflate), shuffle and Fletcher-32.
    static let supportedFilters: Set<H5Z_filter_t> = [1, 2, 3]

    /// Refuses a chunked dataset with a filter other than `supportedFilters` (szip, lzf, a plugin).
    private func checkFilters(_ properties: hid_t, path: String) throws {
        let count = H5Pget_nfilters(properties)
        guard count >= 0, count <= 32 else { throw failure("dataset '\(path)' has an unreadable filter pipeline; the file is damaged") }
        for index in 0..<UInt32(count) {
            var flags: UInt32 = 0
            var valueCount = 0
            var name = [CChar](repeating: 0, count: 64)
            var filterConfig: UInt32 = 0
            let filter = H5Pget_filter2(properties, index, &flags, &valueCount, nil, name.count, &name, &filterConfig)
            guard HDF5File.supportedFilters.contains(filter) else {
                let label = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                throw failure("dataset '\(path)' is compressed with filter \(filter)\(label.isEmpty ? "" : " (\(label))"), which Kestrel does not support (it reads gzip, shuffle and Fletcher-32); save the weights with Keras 3's model.save_weights, which writes uncompressed datasets")
            }
        }
    }

    /// Reads a string attribute (fixed or variable length), nil when absent or not a string.
    func stringAttribute(_ name: String, on path: String) -> String? {
        HDF5File.locked {
            guard H5Aexists_by_name(handle, path, name, linkAccess) > 0 else { return nil }
            let attribute = H5Aopen_by_name(handle, path, name, kestrel_h5_default(), linkAccess)
            guard attribute >= 0 else { return nil }
            defer { H5Aclose(attribute) }
            let type = H5Aget_type(attribute)
            guard type >= 0 else { return nil }
            defer { H5Tclose(type) }
            guard H5Tget_class(type) == H5T_STRING else { return nil }
            let space = H5Aget_space(attribute)
            defer { H5Sclose(space) }
            guard H5Sget_simple_extent_npoints(space) == 1 else { return nil }
            if H5Tis_variable_str(type) > 0 {
                let memory = H5Tcopy(kestrel_h5_c_s1())
                defer { H5Tclose(memory) }
                H5Tset_size(memory, kestrel_h5t_variable())
                H5Tset_cset(memory, H5Tget_cset(type))
                var pointer: UnsafeMutablePointer<CChar>?
                guard H5Aread(attribute, memory, &pointer) >= 0, let pointer else { return nil }
                defer { H5free_memory(pointer) }
                return String(cString: pointer)
            }
            let size = H5Tget_size(type)
            guard size > 0, size < 1 << 16 else { return nil }
            var buffer = [CChar](repeating: 0, count: size + 1)
            guard H5Aread(attribute, type, &buffer) >= 0 else { return nil }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}
