/// Reads the pickle stream NumPy writes for an object array (`.npy` with `descr` '|O'), as Keras's
/// `npz_utils.load_npz` does with its restricted unpickler: only `numpy.ndarray`, `numpy.dtype` and
/// `multiarray._reconstruct` may be named; the array's elements must be lists of integers (Keras's
/// `imdb.npz` stores each review as one). Any other opcode or global is refused — no code runs — and
/// every size is bounded by the stream's length.
enum NumPyObjectArrayPickle {
    static let allowedGlobals: Set<String> = ["numpy ndarray", "numpy dtype", "numpy.core.multiarray _reconstruct",
                                              "numpy._core.multiarray _reconstruct"]

    /// The sequences of the pickled 1-D object array in `bytes`; `source` names the file in errors.
    static func sequences(_ bytes: ArraySlice<UInt8>, source: String) throws -> [[Int]] {
        let result = try run(bytes, source: source)
        guard case let .object(callable, _, state?) = result, callable.hasSuffix("_reconstruct"),
              case let .tuple(fields) = state, fields.count == 5, case let .list(items) = fields[4] else {
            throw DataError.corruptFile(source, "the pickled data is not a NumPy object array")
        }
        return try items.map { item in
            guard case let .list(values) = item else { throw DataError.corruptFile(source, "an element of the object array is not a list of integers") }
            return try values.map { value in
                guard case let .int(number) = value else { throw DataError.corruptFile(source, "a sequence holds a value that is not an integer") }
                return number
            }
        }
    }

    // The pickle machine: a stack, a memo, one opcode at a time.
    private static func run(_ bytes: ArraySlice<UInt8>, source: String) throws -> PickleValue {
        var stack: [PickleValue] = []
        var memo: [Int: PickleValue] = [:]
        var position = bytes.startIndex
        func fail(_ reason: String) -> DataError { DataError.corruptFile(source, "pickle: \(reason)") }
        func take(_ count: Int) throws -> ArraySlice<UInt8> {
            guard count >= 0, bytes.endIndex - position >= count else { throw fail("ends inside an opcode") }
            defer { position += count }
            return bytes[position..<(position + count)]
        }
        func unsigned(_ count: Int) throws -> Int {
            try take(count).reversed().reduce(0) { ($0 << 8) | Int($1) }
        }
        func signed32() throws -> Int { Int(Int32(truncatingIfNeeded: try unsigned(4))) }
        func line() throws -> String {
            guard let end = bytes[position...].firstIndex(of: 0x0A), end - position <= 256 else { throw fail("a name has no end") }
            defer { position = end + 1 }
            return String(decoding: bytes[position..<end], as: UTF8.self)
        }
        func pop() throws -> PickleValue {
            guard let value = stack.popLast() else { throw fail("pops an empty stack") }
            return value
        }
        func popToMark() throws -> [PickleValue] {
            guard let mark = stack.lastIndex(where: { if case .mark = $0 { return true } else { return false } }) else { throw fail("no mark") }
            let items = Array(stack[(mark + 1)...])
            stack.removeSubrange(mark...)
            return items
        }
        func global(_ module: String, _ name: String) throws -> PickleValue {
            guard allowedGlobals.contains("\(module) \(name)") else {
                throw fail("refuses the global \(module).\(name) (only NumPy array reconstruction is allowed, as Keras's load_npz)")
            }
            return .global("\(module).\(name)")
        }
        func appending(_ values: [PickleValue]) throws {
            guard case .list(var list) = try pop() else { throw fail("appends to something that is not a list") }
            list += values
            stack.append(.list(list))
        }
        while true {
            let opcode = try unsigned(1)
            switch UInt8(opcode) {
            case 0x80: _ = try take(1)                              // PROTO
            case 0x95: _ = try take(8)                              // FRAME
            case 0x2E: return try pop()                             // STOP
            case 0x63: stack.append(try global(try line(), try line()))  // GLOBAL
            case 0x93:                                              // STACK_GLOBAL
                guard case let .text(name) = try pop(), case let .text(module) = try pop() else { throw fail("STACK_GLOBAL needs two strings") }
                stack.append(try global(String(decoding: module, as: UTF8.self), String(decoding: name, as: UTF8.self)))
            case 0x71: memo[try unsigned(1)] = stack.last           // BINPUT
            case 0x72: memo[try unsigned(4)] = stack.last           // LONG_BINPUT
            case 0x94: memo[memo.count] = stack.last                // MEMOIZE
            case 0x68, 0x6A:                                        // BINGET, LONG_BINGET
                guard let value = memo[try unsigned(opcode == 0x68 ? 1 : 4)] else { throw fail("gets a memo entry never put") }
                stack.append(value)
            case 0x28: stack.append(.mark)                          // MARK
            case 0x29: stack.append(.tuple([]))                     // EMPTY_TUPLE
            case 0x74: stack.append(.tuple(try popToMark()))        // TUPLE
            case 0x85, 0x86, 0x87:                                  // TUPLE1-3
                let count = opcode - 0x84
                guard stack.count >= count else { throw fail("TUPLE\(count) on a short stack") }
                let items = Array(stack.suffix(count))
                stack.removeLast(count)
                stack.append(.tuple(items))
            case 0x5D: stack.append(.list([]))                      // EMPTY_LIST
            case 0x61: try appending([try pop()])                   // APPEND
            case 0x65: let items = try popToMark(); try appending(items)  // APPENDS
            case 0x7D: stack.append(.dictionary)                    // EMPTY_DICT
            case 0x73: _ = try pop(); _ = try pop()                 // SETITEM (dtype state: ignored)
            case 0x75: _ = try popToMark()                          // SETITEMS
            case 0x4B: stack.append(.int(try unsigned(1)))          // BININT1
            case 0x4D: stack.append(.int(try unsigned(2)))          // BININT2
            case 0x4A: stack.append(.int(try signed32()))           // BININT
            case 0x8A:                                              // LONG1
                let count = try unsigned(1)
                guard count <= 8 else { throw fail("an integer of \(count) bytes is too large") }
                let raw = try take(count)
                var value = raw.reversed().reduce(0) { ($0 << 8) | Int($1) }
                if count > 0, count < 8, raw.last! & 0x80 != 0 { value -= 1 << (8 * count) }
                stack.append(.int(value))
            case 0x55, 0x43, 0x8C: stack.append(.text(Array(try take(try unsigned(1)))))  // SHORT_BINSTRING/BYTES/UNICODE
            case 0x54, 0x42, 0x58: stack.append(.text(Array(try take(try unsigned(4)))))  // BINSTRING/BINBYTES/BINUNICODE
            case 0x4E: stack.append(.none)                          // NONE
            case 0x88: stack.append(.bool(true))                    // NEWTRUE
            case 0x89: stack.append(.bool(false))                   // NEWFALSE
            case 0x52:                                              // REDUCE
                guard case let .tuple(arguments) = try pop(), case let .global(name) = try pop() else { throw fail("REDUCE needs a global and a tuple") }
                stack.append(.object(callable: name, arguments: arguments, state: nil))
            case 0x62:                                              // BUILD
                let state = try pop()
                guard case let .object(callable, arguments, _) = try pop() else { throw fail("BUILD on something that is not an object") }
                stack.append(.object(callable: callable, arguments: arguments, state: state))
            default:
                throw fail(String(format: "opcode 0x%02X is not one NumPy writes for an object array; the file is not a Keras dataset file", opcode))
            }
            guard stack.count <= bytes.count + 8 else { throw fail("the stack grows beyond the data") }
        }
    }
}
