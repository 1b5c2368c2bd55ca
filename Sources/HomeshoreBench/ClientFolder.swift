import Foundation
import HomeshoreClient

/// A real `homeshore` client folder (its replica at `replica`), driven through the command line as an agent would.
struct ClientFolder: Sendable {
    let path: String
    let binary: String

    func command(_ arguments: [String]) -> Command {
        Command(executable: binary, arguments: arguments + ["--home", path])
    }

    func enroll(_ token: String) throws {
        try command(["enroll", token, "--device-name", "bench-laptop"]).run()
    }

    @discardableResult
    func sync() throws -> Double {
        try command(["sync"]).run().seconds
    }
}

extension ClientFolder {
    var replica: String { path + "/" + Replica.fileName }
}
