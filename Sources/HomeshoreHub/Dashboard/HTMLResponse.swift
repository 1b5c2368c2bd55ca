import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Every dashboard answer carries these headers: pages hold debtor data, load nothing from
/// elsewhere and must not be framed, sniffed or cached.
enum HTMLResponse {
    static let contentSecurityPolicy = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    static func make(_ page: HTMLPage, status: HTTPResponse.Status = .ok, extraHeaders: HTTPFields = [:]) -> Response {
        make(html: DashboardTemplates.render(page), status: status, extraHeaders: extraHeaders)
    }

    static func make(html: String, status: HTTPResponse.Status, extraHeaders: HTTPFields = [:]) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        headers.append(contentsOf: extraHeaders)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// 303 See Other: after a form post, the browser GETs `location`.
    static func seeOther(_ location: String, extraHeaders: HTTPFields = [:]) -> Response {
        var headers = securityHeaders
        headers[.location] = location
        headers.append(contentsOf: extraHeaders)
        return Response(status: .seeOther, headers: headers)
    }

    static var securityHeaders: HTTPFields {
        [.contentSecurityPolicy: contentSecurityPolicy, .xContentTypeOptions: "nosniff", .cacheControl: "no-store",
         .referrerPolicy: "same-origin", .xFrameOptions: "DENY",
         // The hub serves HTTPS only: a browser that saw the dashboard once never tries plain HTTP.
         .strictTransportSecurity: "max-age=31536000"]
    }
}

extension HTTPField.Name {
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}
