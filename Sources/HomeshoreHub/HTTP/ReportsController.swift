import Foundation
import HomeshoreCore
import Hummingbird
import NIOCore

/// `GET /v1/reports/{name}?format=json|csv&from=&to=&team=&portfolio=` for supervisors and admins
/// (a dashboard session or a supervisor's device token): the same tables as `homeshore-hub report`.
struct ReportsController {
    let store: any HubStore
    let now: @Sendable () -> Date
    let silentAfter: TimeInterval

    func register(on router: Router<HubRequestContext>) {
        router.get("/v1/reports/:name") { request, context -> Response in
            _ = try await SupervisorAuth(store: store, now: now).supervisor(for: request, allowDeviceToken: true)
            let raw = context.parameters.get("name") ?? ""
            guard let name = ReportName(rawValue: raw.removingPercentEncoding ?? raw) else {
                let valid = ReportName.allCases.map(\.rawValue).joined(separator: ", ")
                throw HomeshoreError("unknown_report", "There is no report \"\(raw.prefix(40))\"; the reports are \(valid).")
            }
            let fields = FormFields(request.uri.query)
            let format = fields.text("format") ?? "json"
            guard format == "json" || format == "csv" else {
                throw HomeshoreError("invalid_format", "The format parameter \"\(format.prefix(20))\" must be json or csv.")
            }
            let filter = try ReportQuery.filter(fields)
            let table = try await HubReports(store: store, silentAfter: silentAfter).table(name, filter: filter, now: now())
            return format == "csv" ? Self.csv(table, name: name, filter: filter) : Self.json(table)
        }
    }

    static func json(_ table: ListOutput) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: table.json())))
    }

    /// With a byte-order mark: spreadsheets then read the accents of debtors' names right.
    static func csv(_ table: ListOutput, name: ReportName, filter: ReportFilter) -> Response {
        let parts = ["homeshore", name.rawValue, filter.portfolio, filter.from, filter.to].compactMap { $0 }
        let file = parts.joined(separator: "-").map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") ? $0 : "_" }
        return Response(status: .ok,
                        headers: [.contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                                  .contentDisposition: "attachment; filename=\"\(String(file)).csv\""],
                        body: .init(byteBuffer: ByteBuffer(string: table.spreadsheetCSV())))
    }
}
