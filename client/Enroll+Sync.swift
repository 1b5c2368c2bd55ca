import ArgumentParser
import Foundation
import HomeshoreCLISupport
import HomeshoreClient
import HomeshoreCore

extension ClientCommand {
    struct Enroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enroll", abstract: "Enroll this laptop with the token your admin gave you.")
        @OptionGroup var home: HomeOptions
        @Argument(help: "The enrollment token (hs1.…).") var token: String
        @Option(help: "A name for this laptop.") var deviceName: String = ProcessInfo.processInfo.hostName

        func run() async throws {
            let desk = try home.desk()
            let answer = try await desk.enroll(token: token, deviceName: deviceName)
            print("Enrolled as \(answer.agentName) (\(answer.agent)). Run `homeshore sync` to fetch your dossiers.")
        }
    }

    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sync",
            abstract: "Send what you recorded and fetch what changed. Exit 3 when the hub is unreachable (your work stays queued).")
        @OptionGroup var home: HomeOptions
        @Flag(help: "Keep syncing, retrying with backoff when the hub is unreachable; Ctrl-C stops.") var watch = false
        @Option(help: "Seconds between syncs with --watch.") var interval: Int = 30

        func validate() throws {
            guard (1...86_400).contains(interval) else { throw ValidationError("--interval must be between 1 and 86400 seconds.") }
        }

        func run() async throws {
            let desk = try home.desk()
            guard watch else {
                try await once(desk)
                return
            }
            try await Watcher(interval: interval).run { try await once(desk) }
        }

        func once(_ desk: Desk) async throws {
            do {
                let summary = try await desk.sync { progress in
                    if progress.requests > 1 { CommandRunner.progress("sync: \(progress.received) dossiers received…") }
                }
                if summary.requests > 1 { CommandRunner.progress("\n") }
                if summary.wiped {
                    print("This laptop was retired: everything was sent and the local data has been wiped.")
                    return
                }
                var line = "Synced: \(summary.sent) sent, \(summary.received) dossiers updated, \(summary.removed) removed."
                if summary.rejected > 0 { line += " \(summary.rejected) refused by the hub: see `homeshore status`." }
                print(line)
            } catch let error as HomeshoreError where error.code == "hub_unreachable" {
                let queued = (try? desk.status().queued) ?? 0
                CommandRunner.printError("\(error.message) Your \(queued) recorded change(s) stay queued; sync again later.")
                throw ExitCode(3)
            } catch let error as HomeshoreError where error.code == "device_revoked" {
                throw HomeshoreError(error.code, "This laptop has been revoked by an admin; its local data has been wiped.")
            } catch let error as HomeshoreError where error.code == "device_retired" {
                throw HomeshoreError(error.code, "This laptop was retired and the hub has everything it recorded before; its local data has been wiped.")
            }
        }
    }
}

/// `sync --watch`: sync, wait, repeat; back off while the hub is unreachable; stop cleanly on Ctrl-C.
struct Watcher {
    let interval: Int

    func run(_ sync: @escaping @Sendable () async throws -> Void) async throws {
        signal(SIGINT, SIG_IGN)
        let task = Task {
            var backoff = 1
            while !Task.isCancelled {
                var wait = interval
                do {
                    try await sync()
                    backoff = 1
                } catch is CancellationError {
                    break
                } catch let error where Self.isTransient(error) {
                    if Task.isCancelled { break }
                    if let error = error as? HomeshoreError { CommandRunner.printError(error.message) }
                    wait = backoff
                    backoff = min(backoff * 2, 60)
                    CommandRunner.printError("Retrying in \(wait) s.")
                }
                try? await Task.sleep(for: .seconds(wait))
            }
        }
        let source = DispatchSource.makeSignalSource(signal: SIGINT)
        source.setEventHandler { task.cancel() }
        source.resume()
        let result = await task.result
        source.cancel()
        CommandRunner.printError("Stopped; anything not yet sent stays queued.")
        try result.get()
    }

    /// Worth retrying: the hub is unreachable, busy or failing for now. A revoked device, a bad token
    /// or a certificate that does not match stops the watch: retrying would not help.
    static func isTransient(_ error: any Error) -> Bool {
        if let code = error as? ExitCode { return code.rawValue == 3 }
        guard let error = error as? HomeshoreError else { return false }
        return ["hub_unreachable", "hub_error", "internal_error", "store_busy", "store_unavailable"].contains(error.code)
    }
}
