import Foundation
import HomeshoreCore
import Testing

/// `agent_metrics_retention_days` in hub.json: the running hub folds older per-agent figures into
/// their team's, and the reports then show the team, not the agents, for those days.
@Test func theServingHubFoldsAgentFiguresPastTheConfiguredRetention() async throws {
    let office = try await Office.open("retention", serve: false)
    _ = try await office.hubOK(["sample-activity", "--agents", "2", "--days", "12", "--dossiers", "20"])
    let today = AgencyCalendar.day(of: Date())
    let old = try #require(CalendarDate.adding(days: -6, to: today))
    func agentRows(to day: String) async throws -> [[String: String]] {
        let json = try await office.hubOK(["report", "agents", "--to", day, "--format", "json"])
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: String]])
    }
    #expect(try await agentRows(to: old).contains { $0["agent"] == "agent01" && $0["calls"] != "0" }, "agent01 worked in the first days")

    let configPath = office.data + "/hub.json"
    var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: configPath))) as? [String: Any])
    #expect(config["agent_metrics_retention_days"] as? Int == 90, "init writes the default out")
    config["agent_metrics_retention_days"] = 5
    try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath))
    try await office.startHub()

    // The hub folds when it starts; poll the report until it has.
    var rows: [[String: String]] = []
    for _ in 0..<120 {
        rows = try await agentRows(to: old)
        if rows.contains(where: { $0["agent"] == "(aged out)" }) { break }
        try await Task.sleep(for: .milliseconds(500))
    }
    #expect(Set(rows.filter { $0["agent"] == "(aged out)" }.compactMap { $0["team"] }) == ["nord", "sud"], "\(rows)")
    #expect(rows.filter { $0["agent"] != "(aged out)" }.allSatisfy { $0["calls"] == "0" }, "no per-agent figure older than 5 days: \(rows)")
    let recent = try await office.hubOK(["report", "agents", "--from", today, "--format", "json"])
    #expect(!recent.contains("(aged out)"), "today's figures stay per agent")
}
