import Crypto
import XCTest
@testable import KestrelData

/// The download checks' SHA-256 (swift-crypto) against the FIPS 180-2 test vectors.
final class SHA256Tests: XCTestCase {
    func testKnownVectors() {
        XCTAssertEqual(FileDigest.sha256(of: [UInt8]()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(FileDigest.sha256(of: Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(FileDigest.sha256(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testMillionAsInChunks() {
        var hasher = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(data: chunk) }
        XCTAssertEqual(FileDigest.hexString(hasher.finalize()), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testFileDigestReadsInChunks() throws {
        let bytes = TestFiles.pattern(count: 3 << 20 | 123)  // more than one 1 MiB read
        let path = NSTemporaryDirectory() + "kestrel-sha-\(UUID().uuidString).bin"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try TestFiles.write(bytes, to: path)
        XCTAssertEqual(try FileDigest.sha256(ofFile: path), FileDigest.sha256(of: bytes))
    }
}
