/// The one error shape of the project: a stable machine code and a sentence a user can act on.
/// The hub sends it as `{"error":{"code":…,"message":…}}`; the CLIs print the message.
public struct HomeshoreError: Error, CustomStringConvertible, Sendable, Equatable, Codable {
    public let code: String
    public let message: String

    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
