import Foundation
import HomeshoreCore

extension Replica {
    /// The script for the dossier's current situation, with its placeholders filled; nil when the
    /// portfolio has none for that situation.
    public func script(for dossier: DossierRecord, situation: Situation? = nil) throws -> String? {
        let situation = situation ?? dossier.situation
        let scripts = try portfolio(dossier.portfolio)?.scripts ?? [:]
        // The debtor's segment may have its own wording (first-contact.vip); else the situation's.
        let variant = dossier.segment.map { scripts[situation.rawValue + "." + $0] } ?? nil
        guard let text = variant ?? scripts[situation.rawValue] else { return nil }
        return ScriptTemplate.render(text, values: Self.scriptValues(dossier)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func scriptValues(_ d: DossierRecord) -> [String: String] {
        var values = [
            "debtor_name": d.debtorName,
            "balance": Money.describe(d.balance, currency: d.currency),
        ]
        if let ref = d.letterRef { values["letter_ref"] = ref }
        if let date = d.letterDate { values["letter_date"] = date }
        if let last = (d.work?.promises ?? []).filter({ $0.planId == nil }).max(by: { $0.createdAt < $1.createdAt }) {
            values["last_promise"] = "\(Money.format(last.amount, currency: d.currency)) \(d.currency) due \(last.due) (\(last.state.rawValue))"
        }
        return values
    }
}
