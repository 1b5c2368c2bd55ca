import ArgumentParser
import Foundation
import HomeshoreCLISupport
import HomeshoreClient
import HomeshoreCore

extension ClientCommand {
    struct Call: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a call and its outcome.")
        @OptionGroup var home: HomeOptions
        @Argument var reference: String
        @Option(help: "One of \(OutcomeCode.allCodes).") var outcome: String
        @Option(help: "Talk time, like 2m30s.") var duration: String?
        @Option var note: String?
        @Option(help: "When the call happened (ISO 8601); default now.") var at: String?

        func run() async throws {
            let desk = try home.desk()
            let seconds = try duration.map(CommandInput.duration)
            let when = try at.map { try CommandInput.localTime($0, timeZone: .current) }
            try desk.call(reference, outcome: outcome, durationSeconds: seconds, note: note, at: when)
            print("Call on \(reference) recorded (\(outcome)); it will be sent at the next sync.")
        }
    }

    struct Note: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a note to a dossier.")
        @OptionGroup var home: HomeOptions
        @Argument var reference: String
        @Argument var text: String

        func run() async throws {
            try home.desk().note(reference, text: text)
            print("Note on \(reference) recorded.")
        }
    }

    struct Contact: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change the debtor's phone, email or address.")
        @OptionGroup var home: HomeOptions
        @Argument var reference: String
        @Option var phone: String?
        @Option var email: String?
        @Option var address: String?

        func validate() throws {
            guard phone != nil || email != nil || address != nil else { throw ValidationError("Give --phone, --email or --address.") }
        }

        func run() async throws {
            try home.desk().contact(reference, phone: phone, email: email, address: address)
            print("Contact details of \(reference) updated.")
        }
    }

    struct Callback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Schedule a callback, in the debtor's local time.")
        @OptionGroup var home: HomeOptions
        @Argument var reference: String
        @Option(help: "\"YYYY-MM-DD HH:MM\" in the debtor's time zone.") var at: String

        func run() async throws {
            let desk = try home.desk()
            let dossier = try desk.replica.view(reference: reference).dossier
            let zone = TimeZone(identifier: dossier.timezone) ?? .current
            let when = try CommandInput.localTime(at, timeZone: zone)
            try desk.callback(reference, at: when)
            print("Callback on \(reference) set for \(CommandInput.display(Timestamp.string(from: when), in: zone)) (\(dossier.timezone)).")
        }
    }
}
