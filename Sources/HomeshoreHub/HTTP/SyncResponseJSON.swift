import Foundation
import HomeshoreCore

/// A `SyncResponse` as WireJSON would write it (same keys, same order, nil members left out), but
/// written straight from the pulled page: each event's payload goes out as the JSON it is stored
/// as, and the hot records are written member by member. Foundation's encoder spent most of a first
/// sync renaming the same keys to snake_case for every one of tens of thousands of events.
/// `SyncResponseJSONTests` holds it to the encoder's output, member for member.
enum SyncResponseJSON {
    static func encode(results: [OpResult], page: PullPage, wipe: Bool, agent: String, hubTime: String) throws -> [UInt8] {
        var json = JSONWriter(capacity: 4096 + page.upserts.count * 1500)
        json.openObject()
        json.member("agent", agent)
        json.member("cursor", page.cursor)
        json.member("hub_time", hubTime)
        json.member("more", page.more)
        if !page.portfolios.isEmpty {
            json.key("portfolios")
            json.json(try WireJSON.encode(page.portfolios))
        }
        json.key("removals")
        json.openArray()
        for id in page.removals { json.string(id) }
        json.closeArray()
        json.key("results")
        json.openArray()
        for result in results {
            json.openObject()
            json.member("code", result.code)
            json.member("id", result.id)
            json.member("reason", result.reason)
            json.member("status", result.status.rawValue)
            json.closeObject()
        }
        json.closeArray()
        json.key("upserts")
        json.openArray()
        for change in page.upserts { try write(change, to: &json) }
        json.closeArray()
        json.member("wipe", wipe)
        json.closeObject()
        return json.bytes
    }

    static func write(_ change: PulledDossier, to json: inout JSONWriter) throws {
        json.openObject()
        json.key("dossier")
        try write(change.dossier, to: &json)
        json.key("events")
        json.openArray()
        for event in change.events {
            json.openObject()
            json.member("agent", event.agent)
            json.member("client_time", event.clientTime)
            json.member("device", event.device)
            json.member("dossier_id", event.dossierId)
            json.member("flag", event.flag)
            json.member("hub_time", event.hubTime)
            json.member("id", event.id)
            json.member("kind", event.kind)
            json.key("payload")
            json.json(event.payload.utf8)
            json.member("seq", event.seq)
            json.closeObject()
        }
        json.closeArray()
        json.member("whole", change.whole)
        json.closeObject()
    }

    static let emptyWork = DossierWork()

    static func write(_ d: DossierRecord, to json: inout JSONWriter) throws {
        json.openObject()
        json.member("address", d.address)
        json.member("amount_due", d.amountDue)
        json.member("assigned_to", d.assignedTo)
        json.member("balance", d.balance)
        json.member("city", d.city)
        json.member("closed_at", d.closedAt)
        json.member("country", d.country)
        json.member("currency", d.currency)
        json.member("customer_since", d.customerSince)
        json.member("debtor_name", d.debtorName)
        json.member("debtor_type", d.debtorType)
        json.member("due_date", d.dueDate)
        json.member("email", d.email)
        json.key("field_clocks")
        json.openObject()
        for field in d.fieldClocks.keys.sorted() { json.member(field, d.fieldClocks[field]) }
        json.closeObject()
        json.member("id", d.id)
        json.member("invoice_refs", d.invoiceRefs)
        json.member("language", d.language)
        json.member("letter_date", d.letterDate)
        json.member("letter_ref", d.letterRef)
        json.member("next_callback", d.nextCallback)
        json.member("notes", d.notes)
        json.member("phone", d.phone)
        json.member("phone2", d.phone2)
        json.member("placed_at", d.placedAt)
        json.member("portfolio", d.portfolio)
        json.member("postcode", d.postcode)
        json.member("prior_incidents", d.priorIncidents)
        json.member("reference", d.reference)
        json.member("segment", d.segment)
        json.member("status", d.status)
        json.member("timezone", d.timezone)
        json.member("vip", d.vip)
        if let work = d.work {
            json.key("work")
            if work == emptyWork {
                json.json(#"{"disputes":[],"payments":[],"plans":[],"promises":[]}"#.utf8)
            } else {
                // Few dossiers have work; the encoder writes it.
                json.json(try WireJSON.encode(work))
            }
        }
        json.closeObject()
    }
}
