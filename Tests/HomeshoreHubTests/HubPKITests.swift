import Foundation
import HomeshoreCore
import HomeshoreHub
import SwiftASN1
import Testing
import X509

@Suite("Hub PKI generation")
struct HubPKITests {
    let now = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    @Test func caIsAConstrainedSelfSignedAuthority() throws {
        let pki = try HubPKI.generate(hostnames: [], now: now)
        let ca = try Certificate(pemEncoded: pki.caCertificatePEM)
        #expect(ca.subject == ca.issuer)
        #expect(ca.subject.description.contains("CN=Homeshore hub CA "))
        #expect(ca.notValidBefore == now.addingTimeInterval(-3600))
        let years = ca.notValidAfter.timeIntervalSince(now) / (365.25 * 86_400)
        #expect((9.99...10.01).contains(years))

        let basic = try #require(ca.extensions[oid: .X509ExtensionID.basicConstraints])
        #expect(basic.critical)
        #expect(try ca.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        let usage = try #require(try ca.extensions.keyUsage)
        #expect(usage.keyCertSign && usage.cRLSign && !usage.digitalSignature)
        #expect(ca.publicKey.isValidSignature(ca.signature, for: ca))
    }

    @Test func serverCertificateIsSignedByTheCAForServerAuth() throws {
        let pki = try HubPKI.generate(hostnames: ["hub.example.test"], now: now)
        let ca = try Certificate(pemEncoded: pki.caCertificatePEM)
        let server = try Certificate(pemEncoded: pki.serverCertificatePEM)
        #expect(server.issuer == ca.subject)
        #expect(ca.publicKey.isValidSignature(server.signature, for: server))
        #expect(try server.extensions.basicConstraints == .notCertificateAuthority)
        let usage = try #require(try server.extensions.keyUsage)
        #expect(usage.digitalSignature && !usage.keyCertSign)
        #expect(try server.extensions.extendedKeyUsage?.contains(.serverAuth) == true)
        #expect(server.notValidAfter == now.addingTimeInterval(825 * 86_400))
        #expect(server.serialNumber != ca.serialNumber)
        // The key PEMs must match their certificates.
        let serverKey = try Certificate.PrivateKey(pemEncoded: pki.serverKeyPEM)
        #expect(serverKey.publicKey == server.publicKey)
        let caKey = try Certificate.PrivateKey(pemEncoded: pki.caKeyPEM)
        #expect(caKey.publicKey == ca.publicKey)
    }

    @Test func subjectAlternativeNamesAreTypedAndDeduplicated() throws {
        let pki = try HubPKI.generate(
            hostnames: ["Hub.Example.Test.", "hub.example.test", "10.0.0.5", "[fd00::5]", "127.0.0.1", "0:0::1", " "],
            now: now
        )
        let server = try Certificate(pemEncoded: pki.serverCertificatePEM)
        let names = try #require(try server.extensions.subjectAlternativeNames)
        var dns: [String] = []
        var ips: [[UInt8]] = []
        for name in names {
            switch name {
            case .dnsName(let value): dns.append(value)
            case .ipAddress(let octets): ips.append(Array(octets.bytes))
            default: Issue.record("unexpected SAN \(name)")
            }
        }
        #expect(dns == ["localhost", "hub.example.test"])
        #expect(ips == [
            [127, 0, 0, 1],
            [UInt8](repeating: 0, count: 15) + [1],
            [10, 0, 0, 5],
            [0xfd] + [UInt8](repeating: 0, count: 14) + [5],
        ])
    }

    @Test(arguments: ["hub_example.test", "-hub.test", "300.1.1.1", "hub..test", "hüb.test"])
    func invalidHostnamesAreRejected(hostname: String) {
        let error = #expect(throws: HomeshoreError.self) {
            try HubPKI.generate(hostnames: [hostname], now: now)
        }
        #expect(error?.code == "invalid_hostname")
        #expect(error?.message.contains(hostname) == true)
    }

    @Test func fingerprintMatchesCertificateDER() throws {
        let pki = try HubPKI.generate(hostnames: [], now: now)
        let der = try PEMDocument(pemString: pki.caCertificatePEM).derBytes
        #expect(pki.caFingerprint == Fingerprint.sha256Hex(der: der))
        #expect(try HubPKI.fingerprint(ofPEM: pki.caCertificatePEM) == pki.caFingerprint)
        #expect(pki.caFingerprint.count == 64)
        #expect(pki.caFingerprint == pki.caFingerprint.lowercased())
        #expect(try HubPKI.fingerprint(ofPEM: pki.serverCertificatePEM) != pki.caFingerprint)
    }

    @Test func pemFilesEndWithASingleNewline() throws {
        let pki = try HubPKI.generate(hostnames: [], now: now)
        #expect(pki.caCertificatePEM.hasSuffix("-----END CERTIFICATE-----\n"))
        #expect(pki.serverCertificatePEM.hasSuffix("-----END CERTIFICATE-----\n"))
        #expect(pki.caKeyPEM.hasSuffix("-----END PRIVATE KEY-----\n"))
        #expect(pki.serverKeyPEM.hasSuffix("-----END PRIVATE KEY-----\n"))
        #expect(!pki.caCertificatePEM.hasSuffix("\n\n"))
    }

    @Test func eachGenerationIsAFreshCA() throws {
        let a = try HubPKI.generate(hostnames: [], now: now)
        let b = try HubPKI.generate(hostnames: [], now: now)
        #expect(a.caFingerprint != b.caFingerprint)
        #expect(a.caKeyPEM != b.caKeyPEM)
    }

    @Test func fingerprintOfGarbageIsAClearError() {
        let error = #expect(throws: HomeshoreError.self) { try HubPKI.fingerprint(ofPEM: "hello") }
        #expect(error?.code == "invalid_certificate")
    }

    @Test func serverTLSConfigurationPresentsLeafThenCA() throws {
        let pki = try HubPKI.generate(hostnames: [], now: now)
        let tls = try HubPKI.serverTLSConfiguration(
            certificatePEM: pki.serverCertificatePEM, caPEM: pki.caCertificatePEM, keyPEM: pki.serverKeyPEM
        )
        #expect(tls.certificateChain.count == 2)
        #expect(tls.minimumTLSVersion == .tlsv12)
    }

    @Test func fingerprintKnownVector() {
        // SHA-256("abc")
        #expect(Fingerprint.sha256Hex(der: Array("abc".utf8))
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
