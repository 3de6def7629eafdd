import Foundation

/// The image files of a directory with one sub-folder per class (Keras's layout for
/// `image_dataset_from_directory` and `flow_from_directory`): class names are the sub-folder names
/// sorted alphabetically (or `classNames` in its order), labels their positions, files sorted per class.
struct ClassImageFiles {
    let classNames: [String]
    var files: [(path: String, label: Int)]

    init(directory: String, classNames: [String]?, caller: String) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError("\(directory): no such directory; \(caller) needs a folder with one sub-folder per class")
        }
        let folders = try manager.contentsOfDirectory(atPath: directory).filter { name in
            var folder: ObjCBool = false
            return !name.hasPrefix(".") && manager.fileExists(atPath: directory + "/" + name, isDirectory: &folder) && folder.boolValue
        }.sorted()
        let names = classNames ?? folders
        for name in names where !folders.contains(name) {
            throw DataError.invalidArgument("classNames", "\(directory)/\(name) is not a sub-folder")
        }
        guard !names.isEmpty else { throw DataError("\(directory): has no class sub-folders") }
        var files: [(path: String, label: Int)] = []
        for (label, name) in names.enumerated() {
            let folder = directory + "/" + name
            // Listed by raw bytes, so a file name that is not UTF-8 is found and opened (RawFileName).
            let found = RawFileName.files(under: folder)
                .filter { ImageFile.supportedExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
                .map { folder + "/" + $0 }
            files += found.sorted().map { ($0, label) }
        }
        guard !files.isEmpty else { throw DataError("\(directory): no .png, .jpg or .jpeg files in the class sub-folders \(names)") }
        self.classNames = names
        self.files = files
    }
}
