import ArgumentParser
import Foundation
import HomeshoreCore

/// Runs a command tree with the project's exit codes: 0 done, 1 an error (one sentence on stderr),
/// 2 a usage mistake, and whatever `ExitCode` a command throws itself (3: hub unreachable).
public enum CommandRunner {
    public static func run<Command: ParsableCommand>(_ type: Command.Type) async -> Never {
        do {
            var command = try Command.parseAsRoot(nil)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(0)
        } catch {
            finish(Command.self, error)
        }
    }

    /// `run` from a synchronous `main`: a command that is not an `AsyncParsableCommand` (the agent's
    /// local commands) runs on the main thread, and Swift concurrency (its thread pool, a hop to it)
    /// starts only for the commands that await the network (issue 10).
    public static func main<Command: ParsableCommand>(_ type: Command.Type) -> Never {
        let parsed: any ParsableCommand
        do {
            parsed = try Command.parseAsRoot(nil)
        } catch {
            finish(Command.self, error)
        }
        guard let asyncCommand = parsed as? any AsyncParsableCommand else {
            var command = parsed
            do {
                try command.run()
                exit(0)
            } catch {
                finish(Command.self, error)
            }
        }
        Task {
            var command = asyncCommand
            do {
                try await command.run()
                exit(0)
            } catch {
                finish(Command.self, error)
            }
        }
        dispatchMain()
    }

    static func finish<Command: ParsableCommand>(_ type: Command.Type, _ error: any Error) -> Never {
        switch error {
        case let error as HomeshoreError:
            printError(error.message)
            exit(1)
        case let code as ExitCode:
            exit(code.rawValue)
        default:
            let code = Command.exitCode(for: error)
            let message = Command.fullMessage(for: error)
            if code == .success {
                print(message)
                exit(0)
            }
            printError(message)
            exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }

    public static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
    }

    /// Progress goes to stderr so that stdout stays clean for tables and CSV.
    public static func progress(_ message: String) {
        FileHandle.standardError.write(Data(("\r" + message).utf8))
    }
}

extension ListFormat: ExpressibleByArgument {}

public struct FormatOption: ParsableArguments {
    @Option(help: "Output format: table, csv or json.")
    public var format: ListFormat = .table

    public init() {}
}
