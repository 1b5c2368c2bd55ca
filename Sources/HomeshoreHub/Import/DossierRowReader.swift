import Foundation
import HomeshoreCore

/// Turns one CSV record into a dossier row, reporting every bad cell rather than stopping at the first.
struct DossierRowReader: CSVRowReading {
    typealias Column = DossierColumn
    typealias Row = DossierImportRow

    /// One memo of date checks for the whole file.
    private let dates = CSVDateCheck()
    let header: CSVHeader<DossierColumn>
    private var firstLineOfReference: [String: Int] = [:]
    // TimeZone(identifier:) loads tz data; a portfolio uses a handful of zones, so remember the answers.
    private var knownTimeZones: [String: Bool] = [:]

    init(header: CSVHeader<DossierColumn>) {
        self.header = header
    }

    mutating func read(_ record: CSVRecord, problems: inout [ImportProblem]) -> DossierImportRow? {
        guard var row = CSVRowCells(record, header: header, dates: dates, problems: &problems) else { return nil }
        defer { problems += row.problems }
        let line = record.line

        let reference = row.cell(.reference)
        if !reference.isEmpty {
            if let earlier = firstLineOfReference[reference] {
                row.report(.reference, "reference \(reference) already appears on line \(earlier)")
            } else {
                firstLineOfReference[reference] = line
            }
        }
        let debtorName = row.cell(.debtorName)
        let debtorType = row.optional(.debtorType)?.lowercased() ?? "person"
        if debtorType != "person" && debtorType != "company" {
            row.report(.debtorType, "\(CSVText.shown(debtorType)) is not a debtor type (write person or company)")
        }
        let currency = row.currency(.currency) ?? ""
        let amountDue = row.amount(row.cell(.amountDue), in: .amountDue, currency: currency)
        let dueDate = row.date(.dueDate) ?? ""
        let phone = phoneNumber(row.optional(.phone)) { row.report(.phone, $0) }
        let phone2 = phoneNumber(row.optional(.phone2)) { row.report(.phone2, $0) }
        let email = row.optional(.email)
        if let email, !Self.looksLikeEmail(email) {
            row.report(.email, "\(CSVText.shown(email)) is not an email address")
        }
        let address = row.optional(.address)
        let postcode = row.optional(.postcode)
        let city = row.optional(.city)
        let country = row.optional(.country)
        let timezone = row.optional(.timezone) ?? "Europe/Paris"
        if !isKnownTimeZone(timezone) {
            row.report(.timezone, "\(CSVText.shown(timezone)) is not a time zone (write an IANA name, e.g. Europe/Paris)")
        }
        let language = row.optional(.language) ?? "fr"
        if !(2...3).contains(language.utf8.count) || !language.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) {
            row.report(.language, "\(CSVText.shown(language)) is not a language code (write 2 or 3 lower-case letters, e.g. fr)")
        }
        let customerSince = row.date(.customerSince)
        let priorIncidents = incidents(row.optional(.priorIncidents)) { row.report(.priorIncidents, $0) }
        let vip = flag(row.optional(.vip)) { row.report(.vip, $0) }
        let invoiceRefs = row.optional(.invoiceRefs)
        let letterRef = row.optional(.letterRef)
        let letterDate = row.date(.letterDate)
        let notes = row.optional(.notes)

        guard row.problems.isEmpty else { return nil }
        return DossierImportRow(
            line: line, reference: reference, debtorName: debtorName, debtorType: debtorType,
            amountDue: amountDue, currency: currency, dueDate: dueDate, phone: phone, phone2: phone2,
            email: email, address: address, postcode: postcode, city: city, country: country,
            timezone: timezone, language: language, customerSince: customerSince,
            priorIncidents: priorIncidents, vip: vip, invoiceRefs: invoiceRefs, letterRef: letterRef,
            letterDate: letterDate, notes: notes)
    }

    private func phoneNumber(_ text: String?, report: (String) -> Void) -> String? {
        guard let text else { return nil }
        var digits = 0
        var allowed = true
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: " "), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"): break
            default: allowed = false
            }
        }
        if !allowed || !(6...20).contains(digits) {
            report("\(CSVText.shown(text)) is not a phone number (6 to 20 digits; only digits, spaces and + - . ( ) allowed)")
        }
        return text
    }

    private func incidents(_ text: String?, report: (String) -> Void) -> Int {
        guard let text else { return 0 }
        guard text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int(text), (0...999).contains(value) else {
            report("\(CSVText.shown(text)) is not a number of incidents (write a whole number from 0 to 999)")
            return 0
        }
        return value
    }

    private func flag(_ text: String?, report: (String) -> Void) -> Bool {
        guard let text else { return false }
        switch text.lowercased() {
        case "true", "yes", "1", "oui", "y": return true
        case "false", "no", "0", "non", "n": return false
        default:
            report("\(CSVText.shown(text)) is not yes or no (write true/false, yes/no, oui/non or 1/0)")
            return false
        }
    }

    private mutating func isKnownTimeZone(_ identifier: String) -> Bool {
        if let known = knownTimeZones[identifier] { return known }
        let known = TimeZone(identifier: identifier) != nil
        knownTimeZones[identifier] = known
        return known
    }

    /// Deliberately loose: one @, something before it, a dot inside the part after it, no spaces.
    static func looksLikeEmail(_ text: String) -> Bool {
        var atCount = 0, localLength = 0, domainLength = 0, firstDot = 0, lastByte: UInt8 = 0
        var isASCII = true
        for byte in text.utf8 {
            lastByte = byte
            if byte == UInt8(ascii: "@") {
                atCount += 1
            } else if byte <= 0x20 {
                return false
            } else if atCount == 0 {
                localLength += 1
            } else {
                domainLength += 1
                if byte == UInt8(ascii: "."), firstDot == 0 { firstDot = domainLength }
            }
            if byte >= 0x80 { isASCII = false }
        }
        guard atCount == 1, localLength > 0, firstDot > 1, lastByte != UInt8(ascii: ".") else { return false }
        // Non-ASCII spaces (NBSP and the like) are rare enough to check the slow way.
        return isASCII || !text.unicodeScalars.contains { $0.properties.isWhitespace }
    }
}
