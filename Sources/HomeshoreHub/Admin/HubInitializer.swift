import Foundation
import HomeshoreCore

/// `homeshore-hub init`: a new data folder with its store, private CA, server certificate and config.
public enum HubInitializer {
    public static func initialise(_ dir: HubDataDir, publicURL: String?, hostnames: [String], listen: String = "0.0.0.0:8443") throws -> HubConfig {
        let fm = FileManager.default
        let existing = [dir.config, dir.database, dir.caCertificate, dir.caKey].filter { fm.fileExists(atPath: $0) }
        guard existing.isEmpty else {
            throw HomeshoreError("already_initialised", "\(dir.path) already holds a hub (\((existing[0] as NSString).lastPathComponent)); nothing was changed.")
        }
        let url = publicURL ?? "https://localhost:8443"
        guard let parsed = URL(string: url), parsed.scheme == "https", let host = parsed.host, !host.isEmpty else {
            throw HomeshoreError("invalid_url", "--public-url must be an https:// URL with a host, like https://hub.example.fr:8443.")
        }
        for name in hostnames where name.isEmpty || name.count > 253 || name.contains(where: { $0.isWhitespace || $0 == "/" }) {
            throw HomeshoreError("invalid_hostname", "\"\(name)\" is not a host name.")
        }
        let names = Array(NSOrderedSet(array: [host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))] + hostnames)) as? [String] ?? []
        let pki = try HubPKI.generate(hostnames: names)

        try fm.createDirectory(atPath: dir.path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try fm.setAttributes([.posixPermissions: 0o700], ofItemAtPath: dir.path)
        try write(pki.caCertificatePEM, to: dir.caCertificate, mode: 0o644)
        try write(pki.caKeyPEM, to: dir.caKey, mode: 0o600)
        try write(pki.serverCertificatePEM, to: dir.serverCertificate, mode: 0o644)
        try write(pki.serverKeyPEM, to: dir.serverKey, mode: 0o600)
        _ = try SQLiteHubStore(path: dir.database)
        let config = HubConfig(publicURL: url, listen: listen, hostnames: names, caFingerprint: pki.caFingerprint)
        // The config is written last: its presence marks a complete hub folder.
        try write(try WireJSON.pretty(config), to: dir.config, mode: 0o600)
        return config
    }

    static func write(_ text: String, to path: String, mode: Int) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: mode]) else {
            throw HomeshoreError("write_failed", "Cannot write \(path).")
        }
    }
}
