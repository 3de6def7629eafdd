import Foundation

/// The `.txt` files of a folder with one sub-folder per class, listed as Keras's `index_directory`
/// lists them: classes in sorted order (or `classNames`' order), each class's folder walked with its
/// sub-folders in sorted order and the file names of each folder sorted.
struct ClassTextFiles {
    let classNames: [String]
    let files: [(path: String, label: Int)]

    /// At most this many files are listed (the aclImdb training set has 75,000 with `unsup`).
    static let largestFileCount = 10_000_000

    init(directory: String, classNames: [String]?) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError("\(directory): no such directory; textDatasetFromDirectory needs a folder with one sub-folder per class of .txt files")
        }
        let folders = ((try? manager.contentsOfDirectory(atPath: directory)) ?? []).filter { name in
            var folder: ObjCBool = false
            return manager.fileExists(atPath: directory + "/" + name, isDirectory: &folder) && folder.boolValue
        }.sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }
        let names = classNames ?? folders
        for name in names where !folders.contains(name) {
            throw DataError.invalidArgument("classNames", "\(directory)/\(name) is not a sub-folder")
        }
        guard !names.isEmpty else { throw DataError("\(directory): has no class sub-folders; put each class's .txt files in a folder of its own") }
        var files: [(path: String, label: Int)] = []
        for (label, name) in names.enumerated() {
            for path in try ClassTextFiles.walk(directory + "/" + name) {
                files.append((path, label))
                guard files.count <= ClassTextFiles.largestFileCount else {
                    throw DataError("\(directory): holds more than \(ClassTextFiles.largestFileCount) .txt files; split the folder")
                }
            }
        }
        guard !files.isEmpty else { throw DataError("\(directory): no .txt files in the class sub-folders \(names)") }
        self.classNames = names
        self.files = files
    }

    /// Python's `sorted(os.walk(folder))`: each folder's `.txt` files by name, folders in sorted path order.
    private static func walk(_ root: String) throws -> [String] {
        var folders: [String] = [root]
        var queue: [String] = [root]
        let manager = FileManager.default
        while let folder = queue.popLast() {
            for name in (try? manager.contentsOfDirectory(atPath: folder)) ?? [] {
                var isFolder: ObjCBool = false
                let path = folder + "/" + name
                if manager.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
                    // Symbolic links to folders are not followed (Keras's follow_links=False).
                    if (try? manager.destinationOfSymbolicLink(atPath: path)) == nil {
                        folders.append(path)
                        queue.append(path)
                    }
                }
            }
            guard folders.count <= 1_000_000 else { throw DataError("\(root): holds more than a million folders; it is not a dataset folder") }
        }
        let byPath = folders.sorted(by: pythonOrder)
        var files: [String] = []
        for folder in byPath {
            let names = ((try? manager.contentsOfDirectory(atPath: folder)) ?? []).filter { name in
                guard name.lowercased().hasSuffix(".txt") else { return false }
                var isFolder: ObjCBool = false
                return manager.fileExists(atPath: folder + "/" + name, isDirectory: &isFolder) && !isFolder.boolValue
            }
            files += names.sorted(by: pythonOrder).map { folder + "/" + $0 }
        }
        return files
    }

    /// Python's string order (by code point), which is not Swift's `<` (canonical equivalence).
    static func pythonOrder(_ left: String, _ right: String) -> Bool {
        left.unicodeScalars.map(\.value).lexicographicallyPrecedes(right.unicodeScalars.map(\.value))
    }
}
