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
        // Listed by raw bytes: Foundation decodes a folder name that is not UTF-8 lossily, and the class vanished.
        let folders = RawFileName.subfolders(of: directory).sorted()
        let names = classNames ?? folders
        for name in names where RawFileName.isEscaped(name) {
            FileHandle.standardError.write(Data("warning: \(ClassImageFiles.notUTF8Warning(folder: name, in: directory))\n".utf8))
        }
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

    /// The warning for a class folder whose name is not UTF-8. Its images are loaded, as Keras loads
    /// them (Python reads the name with "surrogateescape"); the class name keeps each such byte as the
    /// private-use character U+F700 + byte (`RawFileName`), so it names the folder exactly and passing it
    /// back in `classNames` finds the folder again.
    static func notUTF8Warning(folder name: String, in directory: String) -> String {
        "class folder '\(RawFileName.display(name))' in \(directory) has a name that is not UTF-8; its images are loaded, and its class name keeps each such byte as U+F700 + the byte (Keras's Python keeps it as a surrogate escape). Rename the folder to a UTF-8 name for a readable class name."
    }
}
