import ArgumentParser
import Foundation
import HomeshoreCLISupport
import HomeshoreClient

@main
enum Main {
    static func main() { CommandRunner.main(ClientCommand.self) }
}

/// Every subcommand names itself (`commandName:`): without it ArgumentParser derives each name with
/// `String(describing:)` on the type while it builds the command tree, and each of those dynamic
/// casts scans the binary's protocol conformances, a cost every `homeshore` invocation paid at
/// start for all fifteen subcommands (issue 10).
struct ClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "homeshore",
        abstract: "Homeshore: your dossiers, offline first. Everything you record is kept locally and sent at the next sync.",
        subcommands: [Enroll.self, Sync.self, Status.self, List.self, Search.self, Show.self, Lookup.self,
                      Call.self, Note.self, Contact.self, Callback.self, Promise.self, Plan.self, Dispute.self, Next.self])
}

struct HomeOptions: ParsableArguments {
    @Option(name: .customLong("home"), help: "Homeshore folder (default $HOMESHORE_HOME, else ~/.homeshore).")
    var path: String?

    /// For commands that record, sync or enroll.
    func desk() throws -> Desk { try Desk(home: ClientHome(path)) }

    /// For commands that only read (status, list, show, search, next): they work on a read-only folder.
    func reader() throws -> Desk { try Desk(home: ClientHome(path), access: .readOnly) }
}
