/// Where a dossier stands, derived from its events, payments and settled work (never typed by hand).
public enum DossierStatus: String, CaseIterable, Codable, Sendable {
    case new
    case inProgress = "in-progress"
    case promised, plan, disputed, paid, closed

    public static func derive(balance: Int64, closed: Bool, work: DossierWork, worked: Bool) -> DossierStatus {
        if closed { return .closed }
        if balance <= 0 { return .paid }
        if work.openDispute != nil { return .disputed }
        if work.activePlan != nil { return .plan }
        if !work.activePromises.filter({ $0.planId == nil }).isEmpty { return .promised }
        return worked || !work.promises.isEmpty || !work.disputes.isEmpty ? .inProgress : .new
    }

    public static var allCodes: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

extension DossierRecord {
    /// The situation that picks the script an agent reads before calling.
    public var situation: Situation {
        let work = work ?? DossierWork()
        if work.openDispute != nil { return .disputeFollowUp }
        if work.activePlan != nil { return .planFollowUp }
        let lastPromise = work.promises.filter { $0.planId == nil }.max { $0.createdAt < $1.createdAt }
        if let lastPromise, lastPromise.state == .broken || lastPromise.state == .partlyKept { return .brokenPromise }
        return .firstContact
    }
}
