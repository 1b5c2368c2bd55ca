import ArgumentParser
import Foundation
import HomeshoreCLISupport
import HomeshoreClient
import HomeshoreCore

extension ClientCommand {
    struct Call: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "call", abstract: "Record a call and its outcome.")
        @OptionGroup var home: HomeOptions
        @Argument var reference: String
        @Option(help: "One of \(OutcomeCode.allCodes).") var outcome: String
        @Option(help: "Talk time, like 2m30s.") var duration: String?
        @Option(name: .customLong("wrap-up"), help: "Time spent writing the call up afterwards, like 45s (for average handling time).") var wrapUp: String?
        @Option var note: String?
        @Option(help: "When the call happened (ISO 8601); default now.") var at: String?
        @Option(help: "With --outcome promise: the amount promised, like 150.00.") var amount: String?
        @Option(help: "With --outcome promise: the due date, YYYY-MM-DD.") var due: String?

        func validate() throws {
            if outcome == OutcomeCode.promise.rawValue {
                guard amount != nil, due != nil else {
                    throw ValidationError("A call with outcome promise takes the promise too: add --amount AMOUNT --due YYYY-MM-DD.")
                }
            } else if amount != nil || due != nil {
                throw ValidationError("--amount and --due go with --outcome promise only.")
            }
        }

        func run() throws {
            // Everything typed is checked first; only a call that would be recorded is warned about.
            let seconds = try duration.map(CommandInput.duration)
            let wrapUpSeconds = try wrapUp.map(CommandInput.duration)
            let when = try at.map { try CommandInput.localTime($0, timeZone: .current) }
            let desk = try home.desk()
            let promise = amount.flatMap { amount in due.map { (amount: amount, due: $0) } }
            let call = try desk.checkCall(reference, outcome: outcome, durationSeconds: seconds, wrapUpSeconds: wrapUpSeconds,
                                          note: note, at: when, promise: promise)
            // The call happened: it is recorded whatever the rules say, but the agent hears about it.
            for violation in call.violations {
                CommandRunner.printError("Warning: \(violation.message)")
            }
            try desk.record(call)
            if let amount, let due {
                print("Call on \(reference) recorded with a promise of \(amount) due \(due); it will be sent at the next sync.")
            } else {
                print("Call on \(reference) recorded (\(outcome)); it will be sent at the next sync.")
            }
        }
    }

    struct Note: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "note", abstract: "Add a note to a dossier.")
        @OptionGroup var home: HomeOptions
        @Argument var reference: String
        @Argument var text: String

        func run() throws {
            try home.desk().note(reference, text: text)
            print("Note on \(reference) recorded.")
        }
    }

    struct Contact: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "contact", abstract: "Change the debtor's phone, email or address.")
        @OptionGroup var home: HomeOptions
        @Argument var reference: String
        @Option var phone: String?
        @Option var email: String?
        @Option var address: String?

        func validate() throws {
            guard phone != nil || email != nil || address != nil else { throw ValidationError("Give --phone, --email or --address.") }
        }

        func run() throws {
            try home.desk().contact(reference, phone: phone, email: email, address: address)
            print("Contact details of \(reference) updated.")
        }
    }

    struct Callback: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "callback", abstract: "Schedule a callback, in the debtor's local time.")
        @OptionGroup var home: HomeOptions
        @Argument var reference: String
        @Option(help: "\"YYYY-MM-DD HH:MM\" in the debtor's time zone.") var at: String

        func run() throws {
            let desk = try home.desk()
            let dossier = try desk.replica.view(reference: reference).dossier
            let zone = TimeZone(identifier: dossier.timezone) ?? .current
            let when = try CommandInput.localTime(at, timeZone: zone)
            try desk.callback(reference, at: when)
            print("Callback on \(reference) set for \(CommandInput.display(Timestamp.string(from: when), in: zone)) (\(dossier.timezone)).")
        }
    }
}

extension ClientCommand {
    struct Promise: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "promise", abstract: "Record a payment promise.")
        @OptionGroup var home: HomeOptions
        @Argument var reference: String
        @Argument(help: "The amount promised, like 150.00.") var amount: String
        @Option(help: "Due date, YYYY-MM-DD.") var due: String

        func run() throws {
            try home.desk().promise(reference, amount: amount, due: due)
            print("Promise of \(amount) due \(due) on \(reference) recorded; the hub will follow the payments.")
        }
    }

    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "plan", abstract: "Agree an instalment plan (échéancier): N instalments of AMOUNT each.")
        @OptionGroup var home: HomeOptions
        @Argument var reference: String
        @Option(help: "How many instalments (1 to 60).") var instalments: Int
        @Option(help: "Each instalment's amount, like 50.00.") var amount: String
        @Option(help: "First instalment date, YYYY-MM-DD.") var first: String
        @Option(help: "1m (monthly, same day), 2w or 1w.") var every: String = "1m"

        func run() throws {
            try home.desk().plan(reference, instalments: instalments, amount: amount, first: first, every: every)
            print("Plan on \(reference): \(instalments) × \(amount) from \(first), every \(every).")
        }
    }

    struct Dispute: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "dispute", abstract: "Open a dispute: the dossier leaves the call queue until it is resolved.")
        @OptionGroup var home: HomeOptions
        @Argument var reference: String
        @Option(help: "\(DisputeReason.allCodes).") var reason: String
        @Option var note: String?

        func run() throws {
            try home.desk().dispute(reference, reason: reason, note: note)
            print("Dispute (\(reason)) opened on \(reference).")
        }
    }
}
