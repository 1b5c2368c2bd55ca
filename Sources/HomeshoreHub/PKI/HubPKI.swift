import Crypto
import Foundation
import HomeshoreCore
import SwiftASN1
import X509

/// The hub's private certificate authority and the server certificate it issues.
public enum HubPKI {
    /// Absorbs clock skew between the hub and clients that enroll right after generation.
    static let backdate: TimeInterval = 3600
    static let caLifetimeYears = 10
    /// The longest lifetime Apple platforms accept for a TLS server certificate.
    static let serverLifetimeDays = 825

    public static func generate(hostnames: [String], now: Date = Date()) throws -> HubPKIMaterial {
        let sans = try HubSubjectAltNames.generalNames(for: hostnames)
        do {
            let notBefore = now.addingTimeInterval(-backdate)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let caNotAfter = calendar.date(byAdding: .year, value: caLifetimeYears, to: now)!
            let serverNotAfter = now.addingTimeInterval(TimeInterval(serverLifetimeDays) * 86_400)

            let caKey = P256.Signing.PrivateKey()
            let caSigner = Certificate.PrivateKey(caKey)
            let caName = try DistinguishedName { CommonName("Homeshore hub CA \(shortID())") }
            let ca = try Certificate(
                version: .v3,
                serialNumber: Certificate.SerialNumber(),
                publicKey: caSigner.publicKey,
                notValidBefore: notBefore,
                notValidAfter: caNotAfter,
                issuer: caName,
                subject: caName,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    // Path length 0: this CA only ever signs the hub's own leaf certificates.
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                    SubjectKeyIdentifier(hash: caSigner.publicKey)
                },
                issuerPrivateKey: caSigner
            )

            let serverKey = P256.Signing.PrivateKey()
            let serverPublic = Certificate.PrivateKey(serverKey).publicKey
            let server = try Certificate(
                version: .v3,
                serialNumber: Certificate.SerialNumber(),
                publicKey: serverPublic,
                notValidBefore: notBefore,
                notValidAfter: serverNotAfter,
                issuer: caName,
                subject: try DistinguishedName { CommonName("Homeshore hub") },
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true))
                    try ExtendedKeyUsage([.serverAuth])
                    SubjectAlternativeNames(sans)
                    SubjectKeyIdentifier(hash: serverPublic)
                    AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: caSigner.publicKey).keyIdentifier)
                },
                issuerPrivateKey: caSigner
            )

            let caPEM = try ca.serializeAsPEM()
            return HubPKIMaterial(
                caCertificatePEM: caPEM.pemString + "\n",
                caKeyPEM: caKey.pemRepresentation + "\n",
                serverCertificatePEM: try server.serializeAsPEM().pemString + "\n",
                serverKeyPEM: serverKey.pemRepresentation + "\n",
                caFingerprint: Fingerprint.sha256Hex(der: caPEM.derBytes)
            )
        } catch {
            throw HomeshoreError(
                "pki_generation_failed",
                "The hub could not generate its TLS certificates (\(error)); check the system clock and try again."
            )
        }
    }

    /// Distinguishes CAs of different hub installs in certificate viewers; not a security property.
    static func shortID() -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(UInt8.random(in: 0...255, using: &rng), radix: 16) }
            .map { $0.count == 1 ? "0" + $0 : $0 }
            .joined()
    }
}
