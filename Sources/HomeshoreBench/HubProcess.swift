import Foundation
import HomeshoreCore
import HomeshoreHub

/// A real `homeshore-hub serve` on loopback, over its own data folder.
final class HubProcess: @unchecked Sendable {
    let data: String
    let port: Int
    let binaries: Binaries
    private var process: Process?
    private var log: FileHandle?

    /// `init`s a new data folder whose public URL is `publicPort` (a relay in front of the hub, or the hub itself).
    init(binaries: Binaries, data: String, port: Int, publicPort: Int? = nil) throws {
        self.binaries = binaries
        self.data = data
        self.port = port
        try? FileManager.default.removeItem(atPath: data)
        try Command(executable: binaries.hub, arguments: [
            "init", "--data", data, "--public-url", "https://127.0.0.1:\(publicPort ?? port)", "--hostname", "127.0.0.1",
        ]).run()
    }

    var dir: HubDataDir { HubDataDir(data) }
    var caPEM: String { (try? String(contentsOfFile: data + "/ca.pem", encoding: .utf8)) ?? "" }
    var baseURL: String { "https://127.0.0.1:\(port)" }

    func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binaries.hub)
        process.arguments = ["serve", "--data", data, "--listen", "127.0.0.1:\(port)"]
        FileManager.default.createFile(atPath: data + "/serve.log", contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: data + "/serve.log"))
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
        self.log = log
        let http = try BenchHTTP(caPEM: caPEM)
        defer { Task { await http.shutdown() } }
        for _ in 0..<300 {
            if (try? await http.get(baseURL + "/healthz")).map({ $0.status == 200 }) == true { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let tail = (try? String(contentsOfFile: data + "/serve.log", encoding: .utf8))?.suffix(600) ?? ""
        throw HomeshoreError("bench_hub_down", "The hub on port \(port) did not answer /healthz: \(tail)")
    }

    func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
        try? log?.close()
        self.process = nil
    }

    var pid: Int32? { process?.processIdentifier }

    deinit { stop() }
}

/// CPU time and peak memory of a running process, from /proc.
struct ProcessUsage: Sendable {
    var cpuSeconds: Double
    var peakResidentBytes: Int

    static func of(_ pid: Int32) -> ProcessUsage? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        // Fields after the command name, which may hold spaces but ends at the last ')'.
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let peak = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
            .flatMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0) } } ?? 0
        return ProcessUsage(cpuSeconds: (user + system) / ticks, peakResidentBytes: peak * 1024)
    }
}

/// Where the programs under test are.
public struct Binaries: Sendable {
    public var hub: String
    public var client: String
    public var bench: String

    public init(directory: String) {
        hub = directory + "/homeshore-hub"
        client = directory + "/homeshore"
        bench = directory + "/homeshore-bench"
    }
}

enum FreePort {
    /// A port the kernel picks, released at once: good enough on a machine the bench has to itself.
    static func pick() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw HomeshoreError("bench_no_port", "Could not find a free loopback port.") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
