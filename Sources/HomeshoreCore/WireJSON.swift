import Foundation

/// JSON as both sides write it: snake_case keys, sorted for stable dumps.
public enum WireJSON {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    public static func encode<T: Encodable>(_ value: T) throws -> Data { try encoder().encode(value) }

    /// Indented text for people and scripts (`--format json`, files an admin may read).
    public static func pretty<T: Encodable>(_ value: T) throws -> String {
        let encoder = encoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Decodes a request body and turns Foundation's decoding errors into a sentence naming the field.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try decoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw HomeshoreError("invalid_json", describe(error))
        } catch {
            throw HomeshoreError("invalid_json", "The body is not valid JSON.")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the body" : "field \"" + keys.joined(separator: ".") + "\""
        }
        switch error {
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "The body is not valid JSON." : "The value of \(path(context)) is not valid."
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.isEmpty ? "" : " in \(path(context))"
            return "The field \"\(key.stringValue)\" is missing\(parent)."
        case .typeMismatch(let type, let context):
            return "The value of \(path(context)) has the wrong type (expected \(type))."
        case .valueNotFound(let type, let context):
            return "The value of \(path(context)) is null (expected \(type))."
        @unknown default:
            return "The body does not have the expected shape."
        }
    }
}
