import HomeshoreCore

/// A made-up but plausible French portfolio, for demos and load tests.
/// Same seed, same file: the generator never touches the clock or the system random source.
public enum SampleDossiers {
    private static let header = "reference,debtor_name,debtor_type,amount_due,currency,due_date,phone,phone2,email,"
        + "address,postcode,city,country,timezone,language,customer_since,prior_incidents,vip,invoice_refs,"
        + "letter_ref,letter_date,notes"

    public static func csv(count: Int, seed: UInt64) -> String {
        var random = SplitMix64(seed: seed)
        var text = header + "\n"
        text.reserveCapacity(count * 260)
        for index in 0..<count {
            for (position, field) in row(number: index + 1, random: &random).enumerated() {
                if position > 0 { text += "," }
                text += quoted(field)
            }
            text += "\n"
        }
        return text
    }

    /// Steele, Lea & Flood's SplitMix64: tiny, fast and good enough for fake data.
    public struct SplitMix64: RandomNumberGenerator, Sendable {
        private var state: UInt64
        public init(seed: UInt64) { state = seed }

        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        /// Uniform in `range`; the modulo bias is irrelevant at these sizes.
        public mutating func int(_ range: ClosedRange<Int>) -> Int {
            range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
        }

        mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }

        mutating func pick<T>(_ items: [T]) -> T { items[int(0...items.count - 1)] }

        /// `count` random decimal digits, leading zeros included.
        mutating func digits(_ count: Int) -> String {
            var limit = 1
            for _ in 0..<count { limit *= 10 }
            return SampleDossiers.padded(int(0...limit - 1), width: count)
        }
    }

    private struct Place {
        let postcode: String
        let city: String
        let timezone: String?
        let mobilePrefix: String
        let landlinePrefix: String
    }

    private static func row(number: Int, random: inout SplitMix64) -> [String] {
        let place = random.chance(4) ? random.pick(overseasPlaces) : random.pick(mainlandPlaces)
        let isCompany = random.chance(15)
        let first = random.pick(firstNames)
        let last = random.pick(lastNames)
        let name = isCompany ? companyName(last: last, random: &random) : "\(first) \(last)"
        let amount = Int64(4_500 + Int(Double(1_195_500) * pow3(Double(random.int(0...1_000_000)) / 1_000_000)))
        let dueDay = random.int(1...333)  // 2026-11-29 at the latest.
        let hasLetter = random.chance(60)
        let letterDay = min(365, dueDay + random.int(8...30))
        let invoices = (0..<random.int(1...3)).map { _ in "FAC-2026-" + random.digits(5) }

        return [
            "D-" + padded(number, width: 6),
            name,
            isCompany ? "company" : (random.chance(50) ? "person" : ""),
            Money.format(amount, currency: "EUR"),
            "EUR",
            date2026(day: dueDay),
            phone(prefix: place.mobilePrefix, random: &random),
            random.chance(40) ? phone(prefix: place.landlinePrefix, random: &random) : "",
            random.chance(85) ? email(first: first, last: last, company: isCompany ? name : nil, random: &random) : "",
            address(random: &random),
            place.postcode,
            place.city,
            "France",
            place.timezone ?? (random.chance(50) ? "Europe/Paris" : ""),
            random.chance(6) ? "en" : "fr",
            random.chance(80) ? customerSince(random: &random) : "",
            String(random.pick([0, 0, 0, 0, 0, 1, 1, 2, 3, 4])),
            random.chance(5) ? random.pick(["oui", "true", "yes"]) : random.pick(["non", "", "false"]),
            invoices.joined(separator: ", "),
            hasLetter ? "MED-2026-" + random.digits(4) : "",
            hasLetter ? date2026(day: letterDay) : "",
            random.chance(30) ? random.pick(notes) : "",
        ]
    }

    private static func pow3(_ x: Double) -> Double { x * x * x }

    fileprivate static func padded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func date2026(day: Int) -> String {
        var month = 1
        var remaining = day
        while remaining > CalendarDate.daysIn(month: month, year: 2026) {
            remaining -= CalendarDate.daysIn(month: month, year: 2026)
            month += 1
        }
        return "2026-" + padded(month, width: 2) + "-" + padded(remaining, width: 2)
    }

    private static func customerSince(random: inout SplitMix64) -> String {
        let year = random.int(2008...2025)
        let month = random.int(1...12)
        let day = random.int(1...CalendarDate.daysIn(month: month, year: year))
        return "\(year)-" + padded(month, width: 2) + "-" + padded(day, width: 2)
    }

    private static func phone(prefix: String, random: inout SplitMix64) -> String {
        // Metropolitan numbers have 9 digits after +33, overseas ones 6 after the 3-digit area code.
        let isMainland = prefix.hasPrefix("+33 ")
        let groups = (0..<(isMainland ? 4 : 3)).map { _ in random.digits(2) }.joined(separator: " ")
        let area = prefix == "+33 6" && random.chance(20) ? "+33 7" : prefix
        // French files often write mainland numbers the national way.
        if isMainland, random.chance(25) {
            return "0" + area.dropFirst(4) + " " + groups
        }
        return area + " " + groups
    }

    private static func email(first: String, last: String, company: String?, random: inout SplitMix64) -> String {
        if let company {
            let slug = ascii(company).split { !$0.isLetter }.prefix(3).joined(separator: "-")
            return random.pick(["contact", "compta", "direction"]) + "@" + slug + ".fr"
        }
        let user = ascii(first) + random.pick([".", "", "_"]) + ascii(last).replacingSpaces()
        return user + (random.chance(20) ? random.digits(2) : "") + "@" + random.pick(mailDomains)
    }

    private static func address(random: inout SplitMix64) -> String {
        let street = "\(random.int(1...148)) \(random.pick(streets))"
        switch random.int(0...99) {
        case 0..<8: return "Bât. \(random.pick(["A", "B", "C"])), \(street)"
        case 8..<11: return "Résidence \(random.pick(["Les Pins", "Le Clos Fleuri", "Les Tilleuls"]))\n\(street)"
        default: return street
        }
    }

    private static func companyName(last: String, random: inout SplitMix64) -> String {
        let legal = random.pick(["SARL", "SAS", "EURL", "SASU"])
        switch random.int(0...9) {
        case 0: return "\(last), Fils & Associés \(legal)"
        case 1: return "\(legal) \"\(random.pick(["Le Petit Zinc", "La Belle Époque", "L'Étoile du Nord"]))\""
        default: return "\(random.pick(trades)) \(last) \(legal)"
        }
    }

    private static func quoted(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return field }
        var escaped = "\""
        for scalar in field.unicodeScalars {
            if scalar == "\"" { escaped += "\"\"" } else { escaped.unicodeScalars.append(scalar) }
        }
        return escaped + "\""
    }

    /// Lower-case ASCII for e-mail addresses: "Hélène Lefèvre" → "helene lefevre".
    private static func ascii(_ text: String) -> String {
        var folded = ""
        for character in text.lowercased() {
            for plain in foldings[character] ?? String(character) where plain.isASCII {
                if plain.isLetter || plain == " " || plain == "-" { folded.append(plain) }
            }
        }
        return folded
    }

    private static let foldings: [Character: String] = [
        "à": "a", "â": "a", "ä": "a", "ç": "c", "é": "e", "è": "e", "ê": "e", "ë": "e", "î": "i", "ï": "i",
        "ô": "o", "ö": "o", "ù": "u", "û": "u", "ü": "u", "ÿ": "y", "œ": "oe",
    ]

    private static let firstNames = [
        "Hélène", "François", "Jérôme", "Gaëlle", "Bénédicte", "Zoé", "Anaïs", "Loïc", "Céline", "Frédéric",
        "Élodie", "Stéphane", "Noémie", "Agnès", "Raphaël", "Chloé", "Thérèse", "Joël", "Maëlle", "Hervé",
        "Marie", "Jean", "Pierre", "Camille", "Nicolas", "Sophie", "Julien", "Isabelle", "Aurélien", "Léa",
    ]

    private static let lastNames = [
        "Lefèvre", "Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Girard", "Rousseau", "Fontaine", "Mercier",
        "Bonnet", "Lambert", "Faure", "Garnier", "Chevalier", "Lemaître", "Gauthier", "Perrin", "Clément", "Morel",
        "Ménard", "Dupré", "Hébert", "Noël", "Le Goff", "Guérin", "Béranger", "Brochard", "Lecœur", "Texier",
    ]

    private static let trades = [
        "Boulangerie", "Garage", "Transports", "Menuiserie", "Pharmacie", "Cabinet", "Restaurant", "Plomberie",
        "Librairie", "Fromagerie", "Imprimerie", "Électricité",
    ]

    private static let streets = [
        "rue des Lilas", "avenue Jean-Jaurès", "boulevard Voltaire", "rue de la République", "place du Marché",
        "impasse des Érables", "chemin des Vignes", "allée des Cèdres", "rue Émile-Zola", "quai de la Fosse",
        "cours Lafayette", "rue Sainte-Catherine", "rue du Général-de-Gaulle", "avenue Foch", "rue Pasteur",
    ]

    private static let mailDomains = ["orange.fr", "free.fr", "gmail.com", "laposte.net", "sfr.fr", "wanadoo.fr", "outlook.fr"]

    private static let notes = [
        "Rappeler après 18h",
        "Débiteur dit \"avoir déjà payé\", demander le justificatif",
        "Préfère être contacté par e-mail",
        "Litige sur la facture, voir courrier du client du 12/03",
        "Échéancier accepté oralement ; attendre la confirmation écrite",
        "Ne pas appeler le samedi",
        "Nouvelle adresse possible, vérifier auprès de La Poste",
        "Client \"historique\", ton conciliant",
    ]

    private static let mainlandCities: [(postcode: String, city: String, area: String)] = [
        ("75011", "Paris", "1"), ("75015", "Paris", "1"), ("75018", "Paris", "1"), ("69003", "Lyon", "4"),
        ("69007", "Lyon", "4"), ("13008", "Marseille", "4"), ("13001", "Marseille", "4"), ("59000", "Lille", "3"),
        ("44000", "Nantes", "2"), ("33000", "Bordeaux", "5"), ("31000", "Toulouse", "5"), ("67000", "Strasbourg", "3"),
        ("35000", "Rennes", "2"), ("34000", "Montpellier", "4"), ("06000", "Nice", "4"), ("76000", "Rouen", "2"),
        ("21000", "Dijon", "3"), ("38000", "Grenoble", "4"), ("49000", "Angers", "2"), ("63000", "Clermont-Ferrand", "4"),
        ("29200", "Brest", "2"), ("37000", "Tours", "2"), ("87000", "Limoges", "5"), ("51100", "Reims", "3"),
    ]

    private static let mainlandPlaces: [Place] = mainlandCities.map {
        Place(postcode: $0.postcode, city: $0.city, timezone: nil, mobilePrefix: "+33 6", landlinePrefix: "+33 " + $0.area)
    }

    private static let overseasPlaces: [Place] = [
        Place(postcode: "97200", city: "Fort-de-France", timezone: "America/Martinique", mobilePrefix: "+596 696", landlinePrefix: "+596 596"),
        Place(postcode: "97232", city: "Le Lamentin", timezone: "America/Martinique", mobilePrefix: "+596 696", landlinePrefix: "+596 596"),
        Place(postcode: "97400", city: "Saint-Denis", timezone: "Indian/Reunion", mobilePrefix: "+262 692", landlinePrefix: "+262 262"),
        Place(postcode: "97410", city: "Saint-Pierre", timezone: "Indian/Reunion", mobilePrefix: "+262 692", landlinePrefix: "+262 262"),
    ]
}

private extension String {
    func replacingSpaces() -> String { String(map { $0 == " " ? "-" : $0 }) }
}
