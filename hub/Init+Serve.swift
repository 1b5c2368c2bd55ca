import ArgumentParser
import HomeshoreHub

extension HubCommand {
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a hub data folder: database, private CA, server certificate, config.")
        @OptionGroup var data: DataOptions
        @Option(help: "The address agents reach the hub at, e.g. https://hub.example.fr:8443.")
        var publicURL: String?
        @Option(name: .customLong("hostname"), help: "Another name or IP the certificate must cover (repeatable).")
        var hostnames: [String] = []
        @Option(help: "Default HOST:PORT for serve.")
        var listen: String = "0.0.0.0:8443"

        func run() async throws {
            let config = try HubInitializer.initialise(data.dir, publicURL: publicURL, hostnames: hostnames, listen: listen)
            print("Hub initialised in \(data.dir.path)")
            print("Public URL:       \(config.publicURL)")
            print("Certificate for:  \((["localhost", "127.0.0.1"] + config.hostnames.filter { $0 != "localhost" && $0 != "127.0.0.1" }).joined(separator: ", "))")
            print("CA fingerprint:   \(config.caFingerprint)")
        }
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Serve the hub over HTTPS until SIGTERM or Ctrl-C.")
        @OptionGroup var data: DataOptions
        @Option(help: "HOST:PORT to listen on (default from init, 0.0.0.0:8443).")
        var listen: String?

        func run() async throws {
            try await HubServer.run(dir: data.dir, listen: listen)
        }
    }
}
