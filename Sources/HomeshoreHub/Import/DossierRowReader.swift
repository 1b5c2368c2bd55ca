import Foundation
import HomeshoreCore

/// Turns one CSV record into a dossier row, reporting every bad cell rather than stopping at the first.
struct DossierRowReader {
    let header: DossierCSVHeader
    private var firstLineOfReference: [String: Int] = [:]
    // TimeZone(identifier:) loads tz data; a portfolio uses a handful of zones, so remember the answers.
    private var knownTimeZones: [String: Bool] = [:]

    init(header: DossierCSVHeader) {
        self.header = header
    }

    mutating func read(_ record: CSVRecord, problems: inout [ImportProblem]) -> DossierImportRow? {
        let cells = record.cells
        let line = record.line
        guard cells.count == header.cellCount else {
            problems.append(ImportProblem(
                line: line, column: nil,
                message: "has \(cells.count) \(cells.count == 1 ? "cell" : "cells") but the header has \(header.cellCount); "
                    + "check for a missing or extra comma, or an unquoted comma inside a cell"))
            return nil
        }
        let problemsBefore = problems.count
        func report(_ column: DossierColumn, _ message: String) {
            problems.append(ImportProblem(line: line, column: column.name, message: message))
        }
        /// The trimmed cell, or "" once a problem is reported for it, so later checks do not pile on.
        func cell(_ column: DossierColumn) -> String {
            guard let position = header.position(of: column) else { return "" }
            let value = DossierCSVText.trimmed(cells[position])
            if column.isRequired && value.isEmpty {
                report(column, "is empty; this column is required")
            } else if value.utf8.count > column.maxLength, value.count > column.maxLength {
                report(column, "is \(value.count) characters long (at most \(column.maxLength))")
                return ""
            } else if record.mayHaveControlCharacters,
                      DossierCSVText.hasControlCharacter(value, allowingLineBreaks: column.allowsLineBreaks) {
                report(column, "\(DossierCSVText.shown(value)) contains a line break or control character")
                return ""
            }
            return value
        }
        func optional(_ column: DossierColumn) -> String? {
            let value = cell(column)
            return value.isEmpty ? nil : value
        }
        func date(_ column: DossierColumn) -> String? {
            let value = optional(column)
            if let value, !CalendarDate.isValid(value) {
                report(column, "\(DossierCSVText.shown(value)) is not a date (write YYYY-MM-DD, e.g. 2026-03-31)")
            }
            return value
        }

        let reference = cell(.reference)
        if !reference.isEmpty {
            if let earlier = firstLineOfReference[reference] {
                report(.reference, "reference \(reference) already appears on line \(earlier)")
            } else {
                firstLineOfReference[reference] = line
            }
        }
        let debtorName = cell(.debtorName)
        let debtorType = optional(.debtorType)?.lowercased() ?? "person"
        if debtorType != "person" && debtorType != "company" {
            report(.debtorType, "\(DossierCSVText.shown(debtorType)) is not a debtor type (write person or company)")
        }
        let currency = cell(.currency).uppercased()
        if !currency.isEmpty && !Money.isValidCurrency(currency) {
            report(.currency, "\(DossierCSVText.shown(currency)) is not a currency code (write three letters, e.g. EUR)")
        }
        let amountDue = amount(cell(.amountDue), currency: currency) { report(.amountDue, $0) }
        let dueDate = date(.dueDate) ?? ""
        let phone = phoneNumber(optional(.phone)) { report(.phone, $0) }
        let phone2 = phoneNumber(optional(.phone2)) { report(.phone2, $0) }
        let email = optional(.email)
        if let email, !Self.looksLikeEmail(email) {
            report(.email, "\(DossierCSVText.shown(email)) is not an email address")
        }
        let address = optional(.address)
        let postcode = optional(.postcode)
        let city = optional(.city)
        let country = optional(.country)
        let timezone = optional(.timezone) ?? "Europe/Paris"
        if !isKnownTimeZone(timezone) {
            report(.timezone, "\(DossierCSVText.shown(timezone)) is not a time zone (write an IANA name, e.g. Europe/Paris)")
        }
        let language = optional(.language) ?? "fr"
        if !(2...3).contains(language.utf8.count) || !language.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) {
            report(.language, "\(DossierCSVText.shown(language)) is not a language code (write 2 or 3 lower-case letters, e.g. fr)")
        }
        let customerSince = date(.customerSince)
        let priorIncidents = incidents(optional(.priorIncidents)) { report(.priorIncidents, $0) }
        let vip = flag(optional(.vip)) { report(.vip, $0) }
        let invoiceRefs = optional(.invoiceRefs)
        let letterRef = optional(.letterRef)
        let letterDate = date(.letterDate)
        let notes = optional(.notes)

        guard problems.count == problemsBefore else { return nil }
        return DossierImportRow(
            line: line, reference: reference, debtorName: debtorName, debtorType: debtorType,
            amountDue: amountDue, currency: currency, dueDate: dueDate, phone: phone, phone2: phone2,
            email: email, address: address, postcode: postcode, city: city, country: country,
            timezone: timezone, language: language, customerSince: customerSince,
            priorIncidents: priorIncidents, vip: vip, invoiceRefs: invoiceRefs, letterRef: letterRef,
            letterDate: letterDate, notes: notes)
    }

    private func amount(_ text: String, currency: String, report: (String) -> Void) -> Int64 {
        guard !text.isEmpty else { return 0 }
        // An invalid currency is reported on its own cell; parse with the default decimals meanwhile.
        let parseCurrency = Money.isValidCurrency(currency) ? currency : "EUR"
        guard let value = Money.parse(text, currency: parseCurrency) else {
            report("\(DossierCSVText.shown(text)) is not an amount (write \(Money.format(123_450, currency: parseCurrency)))")
            return 0
        }
        if value <= 0 {
            report("\(DossierCSVText.shown(text)) must be more than zero")
        } else if value > Money.maxMinorUnits {
            report("\(DossierCSVText.shown(text)) is more than the largest amount accepted ("
                   + Money.format(Money.maxMinorUnits, currency: parseCurrency) + ")")
        }
        return value
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
            report("\(DossierCSVText.shown(text)) is not a phone number (6 to 20 digits; only digits, spaces and + - . ( ) allowed)")
        }
        return text
    }

    private func incidents(_ text: String?, report: (String) -> Void) -> Int {
        guard let text else { return 0 }
        guard text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int(text), (0...999).contains(value) else {
            report("\(DossierCSVText.shown(text)) is not a number of incidents (write a whole number from 0 to 999)")
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
            report("\(DossierCSVText.shown(text)) is not yes or no (write true/false, yes/no, oui/non or 1/0)")
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
