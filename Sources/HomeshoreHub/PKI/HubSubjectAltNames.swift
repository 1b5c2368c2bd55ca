#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import HomeshoreCore
import SwiftASN1
import X509

/// Turns the hostnames an operator gives into the server certificate's SAN list.
enum HubSubjectAltNames {
    /// Always present so the hub works on the machine it runs on, whatever the operator typed.
    static let builtIn = ["localhost", "127.0.0.1", "::1"]

    static func generalNames(for hostnames: [String]) throws -> [GeneralName] {
        var seen = Set<String>()
        var names: [GeneralName] = []
        for raw in builtIn + hostnames {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let name = try generalName(for: trimmed)
            // Keyed on the encoded value so "::1" and "0:0::1" collapse into one SAN.
            let key: String
            switch name {
            case .ipAddress(let bytes): key = "ip:" + bytes.bytes.map { String($0) }.joined(separator: ".")
            case .dnsName(let dns): key = "dns:" + dns
            default: key = "\(name)"
            }
            if seen.insert(key).inserted { names.append(name) }
        }
        return names
    }

    static func generalName(for input: String) throws -> GeneralName {
        var host = input
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if let bytes = ipBytes(host) { return .ipAddress(ASN1OctetString(contentBytes: bytes[...])) }

        host = host.lowercased()
        if host.hasSuffix(".") { host.removeLast() }
        guard isValidDNSName(host) else {
            throw HomeshoreError(
                "invalid_hostname",
                "\"\(input)\" is not a valid hostname or IP address for the hub certificate; use a name like hub.example.com or an IP like 192.168.1.10."
            )
        }
        return .dnsName(host)
    }

    static func ipBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    static func isValidDNSName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            guard (1...63).contains(label.utf8.count),
                label.first != "-", label.last != "-",
                label.utf8.allSatisfy({ isLDH($0) })
            else { return false }
        }
        // An all-numeric last label means a mistyped IP (e.g. 300.1.1.1), not a DNS name.
        return !(labels.last!.utf8.allSatisfy { (0x30...0x39).contains($0) })
    }

    private static func isLDH(_ c: UInt8) -> Bool {
        (0x61...0x7a).contains(c) || (0x30...0x39).contains(c) || c == 0x2d
    }
}
