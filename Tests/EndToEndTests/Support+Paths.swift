import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the binaries under test live and where each test keeps its files.
enum E2E {
    /// `$HOMESHORE_BIN_DIR`, else `<package root>/.build/debug` (filled by `swift build --build-tests`).
    static let binDir: String = {
        if let explicit = ProcessInfo.processInfo.environment["HOMESHORE_BIN_DIR"], !explicit.isEmpty { return explicit }
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/" && !folder.path.isEmpty {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                return folder.appendingPathComponent(".build/debug").path
            }
            folder = folder.deletingLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath + "/.build/debug"
    }()

    static var hubBinary: String { binDir + "/homeshore-hub" }
    static var clientBinary: String { binDir + "/homeshore" }

    /// Fails with a sentence that says how to build the binaries, rather than with a launch error.
    static func requireBinaries() throws {
        for binary in [hubBinary, clientBinary] where !FileManager.default.isExecutableFile(atPath: binary) {
            throw E2EError("\(binary) is missing; run `swift build --build-tests` first (or set HOMESHORE_BIN_DIR).")
        }
    }

    /// Set HOMESHORE_E2E_KEEP=1 to keep each test's folder (hub data, client homes, logs) for a post-mortem.
    static var keepFolders: Bool { ProcessInfo.processInfo.environment["HOMESHORE_E2E_KEEP"] == "1" }

    /// A new empty folder for one test.
    static func makeTempFolder(_ label: String) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("homeshore-e2e-\(label)-\(UUID().uuidString.prefix(8).lowercased())").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A TCP port nobody listens on right now: bind 127.0.0.1:0, read the port the kernel chose, close.
    static func freeTCPPort() throws -> Int {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw E2EError("socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw E2EError("bind(127.0.0.1:0) failed: errno \(errno)") }
        var actual = sockaddr_in()
        var actualLength = length
        let named = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &actualLength) }
        }
        guard named == 0 else { throw E2EError("getsockname failed: errno \(errno)") }
        return Int(UInt16(bigEndian: actual.sin_port))
    }

    /// `D-000001`…, as `sample-dossiers` numbers them.
    static func ref(_ number: Int) -> String { String(format: "D-%06d", number) }
    static func refs(_ numbers: ClosedRange<Int>) -> [String] { numbers.map(ref) }
}

struct E2EError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
