import ArgumentParser
import Foundation
import HomeshoreCLISupport
import HomeshoreCore
import HomeshoreHub

extension HubCommand {
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reports for supervisors and creditors (the dashboard and GET /v1/reports/NAME show the same figures).",
            subcommands: [Agents.self, Portfolios.self, Promises.self, Disputes.self, SyncHealth.self, Compliance.self, Dossiers.self, Timeline.self])

        struct Agents: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Per agent: calls, contacts, right-party rate, promises, kept rate, collected, AHT.")
            @OptionGroup var options: ReportOptions
            func run() async throws { try await options.print(.agents) }
        }

        struct Portfolios: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Per portfolio: open balance by age, placed, collected, liquidation, solved within 30 days.")
            @OptionGroup var options: ReportOptions
            func run() async throws { try await options.print(.portfolios) }
        }

        struct Promises: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Broken-promise follow-up: promises falling due, kept, partly kept and broken, by agent.")
            @OptionGroup var options: ReportOptions
            func run() async throws { try await options.print(.promises) }
        }

        struct Disputes: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Disputes by portfolio and reason: opened, resolved, rate.")
            @OptionGroup var options: ReportOptions
            func run() async throws { try await options.print(.disputes) }
        }

        struct Compliance: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Calls placed outside the calling window, over the 7-day cap or during the rest period.")
            @OptionGroup var options: ReportOptions
            func run() async throws { try await options.print(.compliance) }
        }

        struct Dossiers: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "The creditor's export: one row per dossier of a portfolio (status, balance, last action, promises, payments, dispute).")
            @OptionGroup var options: ReportOptions

            func validate() throws {
                guard options.portfolio != nil else { throw ValidationError("Name the creditor's portfolio with --portfolio.") }
            }

            func run() async throws { try await options.print(.dossiers) }
        }

        struct Timeline: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "A dossier's whole timeline as a printable HTML document for the creditor (or every dossier of a portfolio with --all).",
                discussion: """
                    Prints the document to stdout, or writes it to --output. With --all --portfolio P --output-dir DIR, \
                    writes DIR/REF.html for every dossier of P (references made file-name-safe).
                    """)
            @OptionGroup var data: DataOptions
            @Argument(help: "The dossier's reference, or PORTFOLIO/REF.") var reference: String?
            @Option(help: "The creditor's portfolio (needed when several have the reference, and with --all).") var portfolio: String?
            @Option(help: "Write the document to this file instead of printing it.") var output: String?
            @Flag(help: "Every dossier of --portfolio, one file each in --output-dir.") var all = false
            @Option(name: .customLong("output-dir"), help: "With --all: the folder for the files (created if missing).") var outputDir: String?

            func validate() throws {
                if all {
                    guard reference == nil else { throw ValidationError("Give either a reference or --all, not both.") }
                    guard portfolio != nil else { throw ValidationError("Name the creditor's portfolio with --portfolio when using --all.") }
                    guard outputDir != nil else { throw ValidationError("Give --output-dir DIR with --all: it writes one file per dossier.") }
                    guard output == nil else { throw ValidationError("--output is for one dossier; with --all use --output-dir.") }
                } else {
                    guard reference != nil else { throw ValidationError("Name the dossier's reference (or use --all --portfolio P --output-dir DIR).") }
                    guard outputDir == nil else { throw ValidationError("--output-dir goes with --all; for one dossier use --output FILE.html.") }
                }
            }

            func run() async throws {
                let export = DossierTimelineExport(store: try HubAdmin(dir: data.dir).store)
                if all, let portfolio, let outputDir {
                    let files = try await export.writeAll(portfolio: portfolio, to: outputDir, now: Date()) { done, total in
                        if done % 50 == 0 || done == total { CommandRunner.progress("Timelines written: \(done) of \(total)   ") }
                    }
                    if !files.isEmpty { CommandRunner.progress("\n") }
                    print("\(files.count) timeline(s) of portfolio \(portfolio) written to \(outputDir).")
                    return
                }
                guard let reference else { return }
                let (change, html) = try await export.document(DossierKey.parse(reference, portfolio: portfolio), now: Date())
                guard let output else {
                    print(html, terminator: "")
                    return
                }
                try DossierTimelineExport.write(html, to: output)
                print("Timeline of \(change.dossier.portfolio)/\(change.dossier.reference) (\(change.events.count) events) written to \(output).")
            }
        }

        struct SyncHealth: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "sync",
                abstract: "Per device: last sync, ops still queued then and the age of the oldest; agents silent too long are flagged.")
            @OptionGroup var options: ReportOptions
            @Option(name: .customLong("silent-after"), help: "Flag devices silent longer than this, like 24h or 2d (default: the hub's setting, 24h).")
            var silentAfter: String?

            func validate() throws {
                if let silentAfter { _ = try PolicyDuration.parse(silentAfter) }
            }

            func run() async throws {
                let admin = try HubAdmin(dir: options.data.dir)
                try await options.print(.sync, admin: admin, silentAfter: try silentAfter.map(PolicyDuration.parse))
                let lapsed = try await admin.store.lapsedLeases(now: Date())
                guard options.output.format == .table, !lapsed.kept.isEmpty || !lapsed.released.isEmpty else { return }
                print("")
                print("Silent agents: \(lapsed.released.count) dossier(s) will return to the pool; kept because of a callback or promise:")
                print(ListOutput(columns: ["agent", "reference", "last_sync"], rows: lapsed.kept.map { [$0.agent, $0.reference, $0.lastSync ?? "never"] })
                    .render(.table), terminator: "")
            }
        }
    }
}

struct ReportOptions: ParsableArguments {
    @OptionGroup var data: DataOptions
    @Option(help: "From this day (YYYY-MM-DD, agency time), included.") var from: String?
    @Option(help: "To this day (YYYY-MM-DD, agency time), included.") var to: String?
    @Option(help: "Only this team's work.") var team: String?
    @Option(help: "Only this portfolio.") var portfolio: String?
    @OptionGroup var output: FormatOption

    func validate() throws {
        for day in [from, to].compactMap({ $0 }) where !CalendarDate.isValid(day) {
            throw ValidationError("\"\(day)\" is not a date like 2026-12-01.")
        }
        if let from, let to, from > to { throw ValidationError("--from \(from) is after --to \(to).") }
    }

    var filter: ReportFilter { ReportFilter(from: from, to: to, team: team, portfolio: portfolio) }

    func print(_ name: ReportName, admin: HubAdmin? = nil, silentAfter: TimeInterval? = nil) async throws {
        let admin = try admin ?? HubAdmin(dir: data.dir)
        let reports = HubReports(store: admin.store, silentAfter: silentAfter ?? admin.config.silentAfter)
        let table = try await reports.table(name, filter: filter, now: Date())
        Swift.print(output.format == .csv ? table.spreadsheetCSV() : table.render(output.format), terminator: "")
    }
}
