/// Everything the hub writes to disk at first start: its private CA and the server identity it signs.
public struct HubPKIMaterial: Sendable {
    public var caCertificatePEM: String
    public var caKeyPEM: String
    public var serverCertificatePEM: String
    public var serverKeyPEM: String
    /// `Fingerprint.sha256Hex` of the CA certificate's DER; enrollment tokens carry it so clients can pin the CA.
    public var caFingerprint: String

    public init(
        caCertificatePEM: String,
        caKeyPEM: String,
        serverCertificatePEM: String,
        serverKeyPEM: String,
        caFingerprint: String
    ) {
        self.caCertificatePEM = caCertificatePEM
        self.caKeyPEM = caKeyPEM
        self.serverCertificatePEM = serverCertificatePEM
        self.serverKeyPEM = serverKeyPEM
        self.caFingerprint = caFingerprint
    }
}
