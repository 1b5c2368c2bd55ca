import ArgumentParser
import Foundation
import HomeshoreCLISupport
import HomeshoreCore
import HomeshoreHub

extension HubCommand {
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reports for supervisors.", subcommands: [Compliance.self, SyncHealth.self])

        struct Compliance: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Calls placed outside the calling window, over the 7-day cap or during the rest period.")
            @OptionGroup var data: DataOptions
            @Option(help: "From this day (YYYY-MM-DD), included.") var from: String?
            @Option(help: "To this day (YYYY-MM-DD), included.") var to: String?
            @OptionGroup var output: FormatOption

            func validate() throws {
                for day in [from, to].compactMap({ $0 }) where !CalendarDate.isValid(day) {
                    throw ValidationError("\"\(day)\" is not a date like 2026-12-01.")
                }
            }

            func run() async throws {
                let entries = try await HubAdmin(dir: data.dir).store.compliance(
                    from: from.map { $0 + "T00:00:00.000Z" }, to: to.flatMap { CalendarDate.adding(days: 1, to: $0) }.map { $0 + "T00:00:00.000Z" })
                let rows = entries.map { [$0.time, $0.agent ?? "", $0.portfolio, $0.reference, $0.outcome ?? "", $0.breaches] }
                print(ListOutput(columns: ["time", "agent", "portfolio", "reference", "outcome", "breach"], rows: rows).render(output.format), terminator: "")
            }
        }

        struct SyncHealth: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "sync",
                abstract: "Devices' last sync and queue, and dossiers kept for agents silent past their lease (callbacks, promises).")
            @OptionGroup var data: DataOptions
            @OptionGroup var output: FormatOption

            func run() async throws {
                let admin = try HubAdmin(dir: data.dir)
                var rows: [[String]] = []
                for agent in try await admin.store.agents() {
                    for device in try await admin.store.devices(login: agent.login) {
                        rows.append([agent.login, device.name, device.status.rawValue, device.lastSyncAt ?? "never",
                                     device.queuedOps.map(String.init) ?? "", device.oldestQueuedAt ?? ""])
                    }
                }
                print(ListOutput(columns: ["agent", "device", "status", "last_sync", "queued", "oldest_queued"], rows: rows).render(output.format), terminator: "")
                let lapsed = try await admin.store.lapsedLeases(now: Date())
                guard output.format == .table, !lapsed.kept.isEmpty || !lapsed.released.isEmpty else { return }
                print("")
                print("Silent agents: \(lapsed.released.count) dossier(s) will return to the pool; kept because of a callback or promise:")
                print(ListOutput(columns: ["agent", "reference", "last_sync"], rows: lapsed.kept.map { [$0.agent, $0.reference, $0.lastSync ?? "never"] })
                    .render(.table), terminator: "")
            }
        }
    }
}
