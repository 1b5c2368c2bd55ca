import HomeshoreCore
import NIOSSL
import SwiftASN1

extension HubPKI {
    public static func serverTLSConfiguration(
        certificatePEM: String,
        caPEM: String,
        keyPEM: String
    ) throws -> TLSConfiguration {
        let server = try certificate(fromPEM: certificatePEM, role: "server certificate")
        // Clients enroll by pinning the CA out of the presented chain, so the CA must travel with the leaf.
        let ca = try certificate(fromPEM: caPEM, role: "CA certificate")
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)
        } catch {
            throw HomeshoreError(
                "invalid_certificate",
                "The hub's TLS private key is not a readable PEM key; restore it from backup or regenerate the hub's certificates."
            )
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(server), .certificate(ca)],
            privateKey: .privateKey(key)
        )
        configuration.minimumTLSVersion = .tlsv12
        // TLS 1.2 with forward secrecy and AEAD only (no CBC-SHA1); TLS 1.3's suites are all AEAD.
        configuration.cipherSuiteValues = aeadSuites
        return configuration
    }

    static let aeadSuites: [NIOTLSCipher] = [
        .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ]

    public static func fingerprint(ofPEM pem: String) throws -> String {
        guard let document = try? PEMDocument(pemString: pem), document.discriminator == "CERTIFICATE" else {
            throw HomeshoreError(
                "invalid_certificate",
                "The text given is not a PEM certificate (-----BEGIN CERTIFICATE-----); pass the hub's CA certificate file."
            )
        }
        return Fingerprint.sha256Hex(der: document.derBytes)
    }

    private static func certificate(fromPEM pem: String, role: String) throws -> NIOSSLCertificate {
        do {
            return try NIOSSLCertificate(bytes: Array(pem.utf8), format: .pem)
        } catch {
            throw HomeshoreError(
                "invalid_certificate",
                "The hub's TLS \(role) is not a readable PEM certificate; restore it from backup or regenerate the hub's certificates."
            )
        }
    }
}
