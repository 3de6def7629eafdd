/// Reads a dataset's storage layout class, and how a group stores its links, straight from their object
/// header bytes, without libhdf5.
///
/// libhdf5 1.10 decodes a virtual dataset's mapping (from the global heap) when the dataset is opened,
/// and trusts the heap reference it finds: a damaged virtual layout makes `H5Oopen` copy from outside
/// the file (found by ContainmentFuzzTests). So a dataset's layout message is read here first, and a
/// virtual layout is refused before libhdf5 ever opens the dataset. Likewise a group's dense link storage
/// (a fractal heap and v2 B-tree, which Keras's and Kestrel's writers never make but h5py's
/// `libver='latest'` does) is accepted only when its heap and B-tree headers are where the group says,
/// since libhdf5 follows those addresses without checking them. Version 1 and version 2 ("OHDR")
/// object headers are read, with their continuation chunks; every offset is checked against the image,
/// which starts at the superblock (after any user block).
enum HDF5LayoutProbe {
    /// What the layout message says.
    enum Layout: Equatable {
        case compact, contiguous, chunked, virtual
        /// No layout message could be read (a damaged or unknown header).
        case unreadable
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        let offsetSize: Int
        let lengthSize: Int

        func byte(_ at: Int) -> Int? { at >= 0 && at < bytes.count ? Int(bytes[at]) : nil }

        /// A little-endian unsigned number of `width` bytes at `at` (nil outside the image or above Int.max).
        func number(_ at: Int, width: Int) -> Int? {
            guard at >= 0, width > 0, width <= 8, at <= bytes.count - width else { return nil }
            var value: UInt64 = 0
            for index in (0..<width).reversed() { value = value << 8 | UInt64(bytes[at + index]) }
            return value <= UInt64(Int.max) ? Int(value) : nil
        }
    }

    /// Where a group keeps its links.
    enum LinkStorage: Equatable {
        /// In a symbol table or in link messages in the header (what Keras and Kestrel write).
        case compact
        /// In a fractal heap indexed by a v2 B-tree (h5py with `libver='latest'` for a group of more
        /// than eight links), whose headers start where the Link Info message says.
        case dense
        /// Dense storage whose fractal heap or B-tree header is not where the Link Info message points
        /// (libhdf5 1.10 follows such an address without checking it and crashes).
        case damagedDense
        case unreadable
    }

    /// A search for one message in an object header.
    private enum Search {
        case found(Int)
        case absent
        case unreadable
    }

    /// Where the superblock (HDF5's signature) starts: at 0, or after a user block of 512, 1024, 2048…
    /// bytes, as libhdf5 searches for it; nil when there is none. Addresses inside the file count from there.
    static func superblockOffset(in image: UnsafeRawBufferPointer) -> Int? {
        let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]
        var offset = 0
        while offset <= image.count - signature.count {
            if (0..<signature.count).allSatisfy({ image[offset + $0] == signature[$0] }) { return offset }
            offset = offset == 0 ? 512 : offset * 2
        }
        return nil
    }

    private static func reader(_ image: UnsafeRawBufferPointer) -> Reader? {
        // Superblock versions 0 and 1 keep the offset and length sizes at bytes 13 and 14; 2 and 3 at 9 and 10.
        guard image.count > 16 else { return nil }
        let version = Int(image[8])
        let sizes = version <= 1 ? (Int(image[13]), Int(image[14])) : (Int(image[9]), Int(image[10]))
        guard [2, 4, 8].contains(sizes.0), [2, 4, 8].contains(sizes.1) else { return nil }
        return Reader(bytes: image, offsetSize: sizes.0, lengthSize: sizes.1)
    }

    private static func search(_ reader: Reader, type: Int, headerAt address: Int) -> Search {
        if reader.number(address, width: 4) == 0x5244_484F { return versionTwo(reader, address, type: type) }  // "OHDR"
        return versionOne(reader, address, type: type)
    }

    /// The layout class of the dataset whose object header starts at `address` in `image`.
    static func layout(in image: UnsafeRawBufferPointer, headerAt address: Int) -> Layout {
        guard let reader = reader(image), case .found(let data) = search(reader, type: 0x08, headerAt: address) else { return .unreadable }
        return layoutClass(reader, data)
    }

    /// Whether every Link message (type 6) in the header at `address` is well formed: its name and
    /// target fit inside the message. libhdf5 1.10 decodes link messages without these checks and then
    /// frees pointers into the damaged bytes (found by ContainmentFuzzTests).
    static func linkMessagesAreSound(in image: UnsafeRawBufferPointer, headerAt address: Int) -> Bool {
        guard let reader = reader(image) else { return false }
        var sound = true
        let completed = forEachMessage(reader, headerAt: address) { type, data, length in
            guard type == 0x06 else { return }
            if !linkMessageIsSound(reader, data: data, length: length) { sound = false }
        }
        return completed && sound
    }

    private static func linkMessageIsSound(_ reader: Reader, data: Int, length: Int) -> Bool {
        let end = data + length
        guard reader.byte(data) == 1, let flags = reader.byte(data + 1), flags & 0xE0 == 0 else { return false }
        var position = data + 2
        var linkType = 0
        if flags & 0x08 != 0 {
            guard let value = reader.byte(position), [0, 1, 64].contains(value) else { return false }
            linkType = value
            position += 1
        }
        if flags & 0x04 != 0 { position += 8 }
        if flags & 0x10 != 0 {
            guard let charset = reader.byte(position), charset <= 1 else { return false }
            position += 1
        }
        let width = 1 << (flags & 0x03)
        guard let nameLength = reader.number(position, width: width), nameLength > 0 else { return false }
        position += width + nameLength
        guard position <= end else { return false }
        switch linkType {
        case 0: return position + reader.offsetSize <= end
        default:
            guard let valueLength = reader.number(position, width: 2) else { return false }
            return position + 2 + valueLength <= end
        }
    }

    /// Calls `body(type, data offset, data length)` for each message of the header at `address`; false
    /// when the header cannot be walked to its end.
    private static func forEachMessage(_ reader: Reader, headerAt address: Int, _ body: (Int, Int, Int) -> Void) -> Bool {
        // The search functions stop at a wanted type; asking for a type no header holds (0xFFFF) walks them all.
        let result = reader.number(address, width: 4) == 0x5244_484F
            ? versionTwo(reader, address, type: 0xFFFF, visit: body)
            : versionOne(reader, address, type: 0xFFFF, visit: body)
        if case .absent = result { return true }
        return false
    }

    /// How the group whose object header starts at `address` keeps its links: a Link Info message
    /// (type 2) with a defined fractal heap address means dense storage.
    static func linkStorage(in image: UnsafeRawBufferPointer, headerAt address: Int) -> LinkStorage {
        guard let reader = reader(image) else { return .unreadable }
        switch search(reader, type: 0x02, headerAt: address) {
        case .absent: return .compact
        case .unreadable: return .unreadable
        case .found(let data):
            guard reader.byte(data) == 0, let flags = reader.byte(data + 1) else { return .unreadable }
            let heap = data + 2 + (flags & 0x01 != 0 ? 8 : 0)
            guard heap + reader.offsetSize <= reader.bytes.count else { return .unreadable }
            let undefined = (0..<reader.offsetSize).allSatisfy { reader.bytes[heap + $0] == 0xFF }
            if undefined { return .compact }
            // The heap ("FRHP"), the name index ("BTHD") and, when tracked, the creation-order index ("BTHD").
            var expected = [(heap, 0x5048_5246), (heap + reader.offsetSize, 0x4448_5442)]
            if flags & 0x02 != 0 { expected.append((heap + 2 * reader.offsetSize, 0x4448_5442)) }
            for (field, signature) in expected {
                guard let address = reader.number(field, width: reader.offsetSize), reader.number(address, width: 4) == signature else {
                    return .damagedDense
                }
            }
            return .dense
        }
    }

    /// The class in a layout message's data at `at`.
    private static func layoutClass(_ reader: Reader, _ at: Int) -> Layout {
        guard let version = reader.byte(at) else { return .unreadable }
        let classByte = version <= 2 ? reader.byte(at + 2) : reader.byte(at + 1)
        switch classByte {
        case 0: return .compact
        case 1: return .contiguous
        case 2: return .chunked
        case 3: return .virtual
        default: return .unreadable
        }
    }

    private static func versionOne(_ reader: Reader, _ address: Int, type wanted: Int,
                                   visit: (Int, Int, Int) -> Void = { _, _, _ in }) -> Search {
        guard reader.byte(address) == 1, let count = reader.number(address + 2, width: 2),
              let size = reader.number(address + 8, width: 4) else { return .unreadable }
        var chunks = [(start: address + 16, end: address + 16 + size)]
        var seen = 0
        while let chunk = chunks.first, seen < count, chunks.count < 64 {
            chunks.removeFirst()
            var position = chunk.start
            while position + 8 <= chunk.end, seen < count {
                guard let type = reader.number(position, width: 2), let length = reader.number(position + 2, width: 2) else { return .unreadable }
                let data = position + 8
                guard data + length <= chunk.end, data + length <= reader.bytes.count else { return .unreadable }
                visit(type, data, length)
                if type == wanted { return .found(data) }
                if type == 0x0010, let offset = reader.number(data, width: reader.offsetSize),
                   let extent = reader.number(data + reader.offsetSize, width: reader.lengthSize), extent < reader.bytes.count {
                    chunks.append((offset, offset + extent))
                }
                seen += 1
                position = data + length
            }
        }
        return seen == count ? .absent : .unreadable
    }

    private static func versionTwo(_ reader: Reader, _ address: Int, type wanted: Int,
                                   visit: (Int, Int, Int) -> Void = { _, _, _ in }) -> Search {
        guard reader.byte(address + 4) == 2, let flags = reader.byte(address + 5) else { return .unreadable }
        var position = address + 6 + (flags & 0x20 != 0 ? 16 : 0) + (flags & 0x10 != 0 ? 4 : 0)
        let sizeWidth = 1 << (flags & 0x03)
        guard let size = reader.number(position, width: sizeWidth) else { return .unreadable }
        position += sizeWidth
        let ordered = flags & 0x04 != 0
        var chunks = [(start: position, end: position + size)]
        var visited = 0
        while let chunk = chunks.first, visited < 64 {
            chunks.removeFirst()
            visited += 1
            var position = chunk.start
            while position + 4 <= chunk.end {
                guard let type = reader.byte(position), let length = reader.number(position + 1, width: 2) else { return .unreadable }
                let data = position + 4 + (ordered ? 2 : 0)
                guard data + length <= chunk.end, data + length <= reader.bytes.count else { return .unreadable }
                visit(type, data, length)
                if type == wanted { return .found(data) }
                if type == 0x10, let offset = reader.number(data, width: reader.offsetSize),
                   let extent = reader.number(data + reader.offsetSize, width: reader.lengthSize), extent >= 8, extent < reader.bytes.count,
                   reader.number(offset, width: 4) == 0x4B48_434F {  // "OCHK"
                    chunks.append((offset + 4, offset + extent - 4))
                }
                position = data + length
            }
        }
        return chunks.isEmpty ? .absent : .unreadable
    }
}
