import CHDF5

/// A model file is untrusted input, and HDF5 can make a file read other files: an external link names
/// an object in another HDF5 file (which libhdf5 opens — any local file, a FIFO that never answers, a
/// sparse file of gigabytes), a dataset can keep its bytes in an external raw file, and a virtual
/// dataset maps datasets of other files. Keras 3 writes none of these, so a weights file holding any
/// of them anywhere is refused — before a single value is read — with an error naming the link or
/// dataset and what it points to.
extension HDF5File {
    /// Opens the object at `path` through the restricted link-access list, requiring `type`
    /// (H5I_GROUP or H5I_DATASET); close it with H5Oclose. Must hold the lock.
    func openObject(_ path: String, as type: H5I_type_t, what: String) throws -> hid_t {
        let object = H5Oopen(handle, path, linkAccess)
        guard object >= 0 else { throw failure("\(what) '\(path)' cannot be opened") }
        guard H5Iget_type(object) == type else {
            H5Oclose(object)
            throw failure("'\(path)' is not a \(what)")
        }
        return object
    }

    /// Walks every link reachable from the root group through hard links (at most `linkLimit` links,
    /// `depthLimit` levels) and checks each one and each dataset's storage.
    func checkLinksAndStorage() throws {
        try HDF5File.locked {
            var info = H5O_info_t()
            guard H5Oget_info_by_name2(handle, "/", &info, UInt32(H5O_INFO_BASIC), linkAccess) >= 0 else {
                throw failure("the root group cannot be read; the file is damaged")
            }
            try checkLinkStorageBeforeListing("/", headerAt: info.addr)
            var visited = 0
            try checkGroup("/", depth: 0, visited: &visited)
        }
    }

    private func checkGroup(_ path: String, depth: Int, visited: inout Int) throws {
        guard depth < HDF5File.depthLimit else {
            throw failure("groups nest more than \(HDF5File.depthLimit) levels deep at '\(path)' (a group may contain itself); Keras never writes that, so the file is refused")
        }
        let group = try openObject(path, as: H5I_GROUP, what: "group")
        defer { H5Oclose(group) }
        var groupInfo = H5G_info_t()
        guard H5Gget_info(group, &groupInfo) >= 0 else { throw failure("group '\(path)' cannot be listed") }
        guard groupInfo.nlinks <= UInt64(HDF5File.linkLimit - visited) else {
            throw failure("the file holds more than \(HDF5File.linkLimit) links (group '\(path)' declares \(groupInfo.nlinks)); Keras writes a few per layer, so the file is refused")
        }
        visited += Int(groupInfo.nlinks)
        for index in 0..<groupInfo.nlinks {
            let name = try linkName(group, index: index, in: path)
            let child = path == "/" ? name : "\(path)/\(name)"
            var link = H5L_info_t()
            guard H5Lget_info_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, index, &link, linkAccess) >= 0 else {
                throw failure("the link '\(child)' cannot be read; the file is damaged")
            }
            switch link.type {
            case H5L_TYPE_HARD:
                try checkObject(child, depth: depth, visited: &visited)
            case H5L_TYPE_SOFT:
                continue  // a path inside this file; every object it can reach is checked through its hard links
            case H5L_TYPE_EXTERNAL:
                throw failure("'\(child)' is an external link to \(externalTarget(group, index: index, size: link.u.val_size)) in another file; Kestrel reads only what is inside the model file, so the file is refused (Keras 3 never writes external links)")
            default:
                throw failure("'\(child)' is a user-defined HDF5 link (type \(link.type.rawValue)); Kestrel reads only what is inside the model file, so the file is refused")
            }
        }
    }

    private func checkObject(_ path: String, depth: Int, visited: inout Int) throws {
        var info = H5O_info_t()
        guard H5Oget_info_by_name2(handle, path, &info, UInt32(H5O_INFO_BASIC), linkAccess) >= 0 else {
            throw failure("the object at '\(path)' cannot be read; the file is damaged")
        }
        if info.type == H5O_TYPE_DATASET { try checkLayoutBeforeOpening(path, headerAt: info.addr) }
        if info.type == H5O_TYPE_GROUP { try checkLinkStorageBeforeListing(path, headerAt: info.addr) }
        let object = H5Oopen(handle, path, linkAccess)
        guard object >= 0 else { throw failure("the object at '\(path)' cannot be opened; the file is damaged") }
        let type = H5Iget_type(object)
        if type == H5I_DATASET {
            defer { H5Oclose(object) }
            try checkDatasetStorage(object, path: path)
            return
        }
        H5Oclose(object)
        if type == H5I_GROUP { try checkGroup(path, depth: depth + 1, visited: &visited) }
    }

    /// Reads the dataset's layout class from its header bytes (`HDF5LayoutProbe`): a virtual layout is
    /// refused before libhdf5 opens the dataset (opening decodes the mapping, trusting its heap reference).
    private func checkLayoutBeforeOpening(_ path: String, headerAt address: haddr_t) throws {
        guard let storage, address < UInt64(storage.count) else {
            throw failure("dataset '\(path)' has its header outside the file; the file is damaged")
        }
        switch HDF5LayoutProbe.layout(in: UnsafeRawBufferPointer(storage), headerAt: Int(address)) {
        case .virtual:
            throw failure("dataset '\(path)' is a virtual dataset (its values come from other files); Kestrel reads only what is inside the model file, so the file is refused (Keras 3 never writes virtual datasets)")
        case .unreadable:
            throw failure("dataset '\(path)' has an object header whose storage layout cannot be read; the file is damaged")
        case .compact, .contiguous, .chunked:
            return
        }
    }

    /// Refuses a group whose links are in dense storage before libhdf5 lists it (`HDF5LayoutProbe`).
    private func checkLinkStorageBeforeListing(_ path: String, headerAt address: haddr_t) throws {
        guard let storage, address < UInt64(storage.count) else {
            throw failure("group '\(path)' has its header outside the file; the file is damaged")
        }
        guard HDF5LayoutProbe.linkMessagesAreSound(in: UnsafeRawBufferPointer(storage), headerAt: Int(address)) else {
            throw failure("group '\(path)' holds a damaged link record; the file is damaged")
        }
        switch HDF5LayoutProbe.linkStorage(in: UnsafeRawBufferPointer(storage), headerAt: Int(address)) {
        case .compact, .dense:
            return
        case .damagedDense:
            throw failure("group '\(path)' keeps its links in dense storage (a fractal heap) whose headers are not where the group points; the file is damaged")
        case .unreadable:
            throw failure("group '\(path)' has an object header that cannot be read; the file is damaged")
        }
    }

    private func checkDatasetStorage(_ dataset: hid_t, path: String) throws {
        let properties = H5Dget_create_plist(dataset)
        guard properties >= 0 else { throw failure("dataset '\(path)' has no readable layout") }
        defer { H5Pclose(properties) }
        if H5Pget_layout(properties) == H5D_VIRTUAL {
            throw failure("dataset '\(path)' is a virtual dataset (its values come from other files); Kestrel reads only what is inside the model file, so the file is refused (Keras 3 never writes virtual datasets)")
        }
        let externalFiles = H5Pget_external_count(properties)
        guard externalFiles == 0 else {
            throw failure("dataset '\(path)' keeps its bytes in \(externalFiles < 0 ? "unreadable" : "\(externalFiles)") external file\(externalFiles == 1 ? "" : "s")\(externalStorageName(properties)); Kestrel reads only what is inside the model file, so the file is refused (Keras 3 never writes external storage)")
        }
    }

    private func linkName(_ group: hid_t, index: hsize_t, in path: String) throws -> String {
        let length = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, linkAccess)
        guard length >= 0, length < 4096 else { throw failure("a member name in group '\(path)' cannot be read") }
        var buffer = [CChar](repeating: 0, count: length + 1)
        guard H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, length + 1, linkAccess) >= 0 else {
            throw failure("a member name in group '\(path)' cannot be read")
        }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// "'/tmp/x.h5' object '/a/b'" for an external link (read from the link value, not followed).
    private func externalTarget(_ group: hid_t, index: hsize_t, size: Int) -> String {
        guard size > 0, size < 1 << 16 else { return "an unreadable target" }
        var value = [UInt8](repeating: 0, count: size)
        guard H5Lget_val_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, index, &value, size, linkAccess) >= 0 else { return "an unreadable target" }
        var file: UnsafePointer<CChar>?
        var object: UnsafePointer<CChar>?
        let unpacked = value.withUnsafeBytes { bytes in
            H5Lunpack_elink_val(bytes.baseAddress, size, nil, &file, &object)
        }
        guard unpacked >= 0, let file, let object else { return "an unreadable target" }
        return "'\(String(cString: file))' object '\(String(cString: object))'"
    }

    /// " (the first is 'name')" for a dataset with external storage.
    private func externalStorageName(_ properties: hid_t) -> String {
        var buffer = [CChar](repeating: 0, count: 1024)
        var offset: off_t = 0
        var size: hsize_t = 0
        guard H5Pget_external(properties, 0, buffer.count - 1, &buffer, &offset, &size) >= 0 else { return "" }
        let name = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return " (the first is '\(String(decoding: name, as: UTF8.self))')"
    }
}
