import Foundation
import HomeshoreCore

/// `homeshore-hub import` of big files, as the admin runs it. Baseline: plain SQLite inserting
/// the same rows, unparsed and unchecked, in one transaction.
struct ImportScenario {
    let binaries: Binaries
    let work: String
    let sizes: BenchSizes
    let progress: BenchProgress

    func run() async throws -> [BenchRow] {
        let rows = sizes.importRows
        let hub = try HubProcess(binaries: binaries, data: work + "/import-hub", port: try FreePort.pick())
        let seeder = try Seeder(hub: hub, progress: progress)
        let dossiers = work + "/import-dossiers.csv"
        try seeder.csv(count: rows, seed: 5, to: dossiers)
        let payments = work + "/import-payments.csv"
        let paymentLines = try paymentsCSV(rows: rows, to: payments)
        func importing(_ arguments: [String]) throws -> Double {
            try Command(executable: binaries.hub, arguments: ["import"] + arguments + ["--data", hub.data]).run().seconds
        }
        progress.say("importing \(Show.count(rows)) dossiers")
        let first = try importing(["dossiers", dossiers, "--portfolio", "P-IMPORT"])
        progress.say("re-importing the same file")
        let again = try importing(["dossiers", dossiers, "--portfolio", "P-IMPORT"])
        progress.say("importing \(Show.count(rows)) payments")
        let paid = try importing(["payments", payments])

        let dossierRows = try CSVRows.read(dossiers)
        let dossierBaseline = try PlainSQLite.insertRows(dossierRows, columns: dossierRows.first?.count ?? 1, work: work, name: "dossiers")
        let paymentBaseline = try PlainSQLite.insertRows(paymentLines, columns: 4, work: work, name: "payments")
        let count = Show.count(rows)
        return [
            BenchRow("import of \(count) dossiers", figure: Show.seconds(first), target: "< 5 s",
                     baseline: "plain SQLite, same rows: \(Show.seconds(dossierBaseline))", met: first < 5),
            BenchRow("re-import of the same \(count) dossiers, nothing changed", figure: Show.seconds(again), target: "< 3 s",
                     baseline: "first import: \(Show.seconds(first))", met: again < 3),
            BenchRow("import of \(count) payments", figure: Show.seconds(paid), target: "< 5 s",
                     baseline: "plain SQLite, same rows: \(Show.seconds(paymentBaseline))", met: paid < 5),
        ]
    }

    /// One payment on each dossier, a fifth of its claim or less, paid yesterday.
    private func paymentsCSV(rows: Int, to file: String) throws -> [[String]] {
        let yesterday = AgencyCalendar.day(of: Date().addingTimeInterval(-86_400))
        let lines = (1...rows).map { [String(format: "D-%06d", $0), "12.50", yesterday, "BENCH-\($0)"] }
        let text = "reference,amount,paid_on,payment_id\n" + lines.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return lines
    }
}
