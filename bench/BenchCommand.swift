import ArgumentParser
import Foundation
import HomeshoreBench
import HomeshoreCLISupport

@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "homeshore-bench",
        abstract: "Measure Homeshore against its performance targets (DESIGN §10), each figure beside a baseline from the same run.",
        subcommands: [Run.self, Hello.self],
        defaultSubcommand: Run.self)

    static func main() async { await CommandRunner.run(Self.self) }
}

extension BenchCommand {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the scenarios and print the table (Markdown).")

        @Flag(help: "Small sizes: proves the program runs; the figures are not compared with the targets.") var quick = false
        @Option(help: "Folder of the homeshore, homeshore-hub and homeshore-bench binaries (default: this program's).") var bin: String?
        /// One folder per run by default, removed at the end: two runs at once (a quick one inside
        /// `make test` beside a full one) emptying the same folder wrote each other's files.
        @Option(help: "Scratch folder for hubs and laptops (emptied first, kept afterwards; default: a new folder per run, removed at the end).")
        var work: String?
        @Option(help: "Also write the table into this Markdown file, between its homeshore-bench markers.") var output: String?
        @Option(parsing: .upToNextOption, help: "Only these scenarios: \(Bench.Scenario.allCases.map(\.rawValue).joined(separator: ", ")).")
        var only: [String] = []

        func run() async throws {
            let scenarios = try only.isEmpty ? Bench.Scenario.allCases : only.map { name in
                guard let scenario = Bench.Scenario(rawValue: name) else {
                    throw ValidationError("There is no scenario \"\(name)\"; the scenarios are \(Bench.Scenario.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                return scenario
            }
            let folder = bin ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
            let scratch = work ?? NSTemporaryDirectory() + "homeshore-bench-\(ProcessInfo.processInfo.processIdentifier)"
            let bench = Bench(binaries: Binaries(directory: folder), quick: quick, work: scratch, scenarios: scenarios)
            defer { if work == nil { try? FileManager.default.removeItem(atPath: scratch) } }
            let report = try await bench.run()
            print(report.markdown)
            if let output { try report.write(to: output) }
        }
    }

    struct Hello: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Serve the plain Hummingbird baseline route over a hub's TLS (used by the load scenario).")

        @Option(help: "The hub data folder whose certificates to serve.") var data: String
        @Option(help: "HOST:PORT to listen on.") var listen: String

        func run() async throws {
            guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]) else {
                throw ValidationError("--listen must be HOST:PORT, like 127.0.0.1:9443.")
            }
            try await HelloServer.run(data: data, host: String(listen[..<colon]), port: port)
        }
    }
}
