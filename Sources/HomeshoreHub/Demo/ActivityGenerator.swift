import Foundation
import HomeshoreCore

/// Fills a hub with weeks of plausible work through the store's real paths — imports, hand-out,
/// pushed ops, payment files, settling — so reports, the dashboard and the demo have figures, and
/// tests can recompute them. Deterministic for a seed. Some agents sync late: their calls of one day
/// reach the hub days later, as on home connections.
public struct ActivityGenerator: Sendable {
    public var seed: UInt64
    public var agents: Int
    public var days: Int
    public var dossiersPerPortfolio: Int
    public var portfolios: [String]
    public var teams: [String]
    /// Calls per agent per working day, at most.
    public var callsPerDay: Int

    public init(seed: UInt64 = 7, agents: Int = 6, days: Int = 21, dossiersPerPortfolio: Int = 120,
                portfolios: [String] = ["BANQUE-SUD", "TELCO-EST"], teams: [String] = ["nord", "sud"], callsPerDay: Int = 12) {
        self.seed = seed
        self.agents = agents
        self.days = days
        self.dossiersPerPortfolio = dossiersPerPortfolio
        self.portfolios = portfolios
        self.teams = teams
        self.callsPerDay = callsPerDay
    }

    public struct Summary: Sendable, Equatable {
        public var agents: [String]
        public var applied = 0
        public var rejected = 0
        public var payments = 0
        /// Ops that reached the hub on a later day than they were recorded.
        public var lateOps = 0
    }

    /// Agents `agent01`… in teams by turn, each with one device; work over the `days` days before `now`.
    public func run(on store: any HubStore, now: Date, progress: (@Sendable (_ day: Int, _ of: Int) -> Void)? = nil) async throws -> Summary {
        var random = SampleDossiers.SplitMix64(seed: seed)
        let start = now.addingTimeInterval(-Double(days) * 86_400)
        // Nothing happens after `now`, even on the last simulated day.
        func at(_ hour: Int, _ minute: Int = 0, day: Int) -> Date { min(Self.at(hour: hour, minute: minute, dayOffset: day, from: start), now) }
        // Creditors place dossiers in three waves, so the portfolio has dossiers of several ages.
        var waves: [Int: [(portfolio: String, rows: [DossierImportRow])]] = [:]
        for (index, portfolio) in portfolios.enumerated() {
            var rows = try DossierCSV.parse(string: SampleDossiers.csv(count: dossiersPerPortfolio, seed: seed &+ UInt64(index))).rows
            // Each creditor numbers its own dossiers: BANQUE-SUD's are BS-000001…, never the same as another's.
            let prefix = String(portfolio.split(separator: "-").compactMap(\.first))
            for row in rows.indices { rows[row].reference = prefix + rows[row].reference.dropFirst(1) }
            for wave in 0..<3 {
                let part = rows.enumerated().filter { $0.offset % 3 == wave }.map(\.element)
                if !part.isEmpty { waves[wave * days / 3, default: []].append((portfolio, part)) }
            }
        }
        for (portfolio, rows) in waves[0] ?? [] { _ = try await store.importDossiers(portfolio: portfolio, rows: rows, now: start, progress: nil) }
        let capacity = max(5, dossiersPerPortfolio * portfolios.count / max(1, agents) / 2)
        var desks: [AgentDesk] = []
        for number in 1...max(1, agents) {
            let login = String(format: "agent%02d", number)
            if try await store.agent(login: login) == nil {
                _ = try await store.createAgent(NewAgent(login: login, name: Self.names[(number - 1) % Self.names.count],
                                                         team: teams.isEmpty ? nil : teams[(number - 1) % teams.count],
                                                         languages: ["fr", "en"], portfolios: portfolios, capacity: capacity), now: start)
            }
            desks.append(AgentDesk(device: try await Self.enrollDevice(store: store, login: login, now: start), lateSyncer: number % 3 == 0))
        }
        var summary = Summary(agents: desks.map(\.device.login))
        var scheduled: [PaymentImportRow] = []
        var paymentNumber = 0
        for dayIndex in 0...days {
            let morning = at(8, day: dayIndex)
            if dayIndex > 0 {
                for (portfolio, rows) in waves[dayIndex] ?? [] {
                    _ = try await store.importDossiers(portfolio: portfolio, rows: rows, now: at(7, day: dayIndex), progress: nil)
                }
            }
            let day = AgencyCalendar.day(of: morning)
            let weekend = AgencyCalendar.calendar().isDateInWeekend(morning)
            for index in desks.indices {
                _ = try await store.handOut(agentId: desks[index].device.agentId, now: morning)
                if !weekend {
                    let held = try await store.scope(login: desks[index].device.login).filter { $0.dossier.closedAt == nil }
                    for change in held.shuffled(using: &random).prefix(random.int(callsPerDay / 2...callsPerDay)) {
                        let callAt = at(random.int(9...17), random.int(0...59), day: dayIndex)
                        let work = work(on: change.dossier, at: callAt, random: &random)
                        for (kind, payload) in work.ops { desks[index].record(kind, dossier: change.dossier.id, payload: payload, at: callAt) }
                        if let payment = work.payment {
                            paymentNumber += 1
                            scheduled.append(PaymentImportRow(line: paymentNumber + 1, reference: change.dossier.reference,
                                                              portfolio: change.dossier.portfolio, amountText: payment.amount,
                                                              paidOn: payment.on, paymentId: "PAY-\(seed)-\(paymentNumber)"))
                        }
                    }
                }
                // Late syncers stay offline some evenings; their ops go with a later sync.
                let offline = desks[index].lateSyncer && dayIndex < days && random.chance(60)
                if !offline {
                    let evening = at(19, day: dayIndex)
                    let (applied, rejected, late) = try await desks[index].push(to: store, now: evening)
                    summary.applied += applied
                    summary.rejected += rejected
                    summary.lateOps += late
                }
            }
            let due = scheduled.filter { $0.paidOn <= day }
            scheduled.removeAll { $0.paidOn <= day }
            if !due.isEmpty {
                let rows = due.enumerated().map { offset, row in var row = row; row.line = offset + 2; return row }
                summary.payments += try await store.importPayments(rows, now: at(21, day: dayIndex)).recorded
            }
            try await resolveSomeDisputes(store: store, at: at(16, day: dayIndex), random: &random)
            _ = try await store.settleDue(now: at(23, day: dayIndex))
            progress?(dayIndex + 1, days + 1)
        }
        return summary
    }

    /// What an agent does on one dossier in one call, and what the debtor then pays, if anything.
    private func work(on dossier: DossierRecord, at time: Date, random: inout SampleDossiers.SplitMix64)
        -> (ops: [(OpKind, OpPayload)], payment: (amount: String, on: String)?) {
        let at = Timestamp.string(from: time)
        let talk = random.int(20...420)
        let wrapUp = random.int(10...120)
        let today = AgencyCalendar.day(of: time)
        let balance = dossier.balance
        let roll = random.int(0...99)
        func call(_ outcome: OutcomeCode, talk: Int = talk, note: String? = nil) -> (OpKind, OpPayload) {
            (.call, OpPayload(outcome: outcome.rawValue, durationSeconds: talk, text: note, at: at, wrapUpSeconds: wrapUp))
        }
        switch roll {
        case 0..<35:
            return ([call(random.pick([.noAnswer, .voicemail, .busy]), talk: 0)], nil)
        case 35..<42:
            return ([call(random.pick([.wrongNumber, .thirdParty]), talk: random.int(10...60))], nil)
        case 42..<60:
            return ([call(.rightParty, note: "Débiteur joint, situation expliquée."), (.callback, OpPayload(at: Timestamp.string(from: time.addingTimeInterval(2 * 86_400))))], nil)
        case 60..<82 where balance > 100:
            let amount = max(100, balance / Int64(random.int(1...3)))
            let due = CalendarDate.adding(days: random.int(1...10), to: today) ?? today
            var ops = [call(.promise)]
            ops[0].1.amount = amount
            ops[0].1.due = due
            let fate = random.int(0...99)
            let graceEnd = CalendarDate.adding(days: 3, to: due) ?? due
            let payment: (String, String)? = switch fate {
            case 0..<55: (Money.format(amount, currency: dossier.currency), CalendarDate.adding(days: random.int(-1...3), to: due) ?? due)
            case 55..<70: (Money.format(amount / 2, currency: dossier.currency), graceEnd)
            default: nil
            }
            return (ops, payment.map { (amount: $0.0, on: max($0.1, today)) })
        case 60..<88 where balance > 400:
            let first = CalendarDate.adding(days: random.int(2...7), to: today) ?? today
            let instalment = balance / 4
            let ops: [(OpKind, OpPayload)] = [call(.rightParty, note: "Échéancier proposé."),
                                              (.plan, OpPayload(amount: instalment, due: first, instalments: 3, every: "1w"))]
            return (ops, random.chance(70) ? (Money.format(instalment, currency: dossier.currency), first) : nil)
        case 88..<93 where dossier.work?.openDispute == nil:
            let reason = random.pick(DisputeReason.allCases)
            return ([call(.dispute), (.dispute, OpPayload(text: "Le débiteur conteste.", reason: reason.rawValue))], nil)
        case 93..<96:
            return ([call(.refused), (.note, OpPayload(text: "Refus de payer, à relancer par courrier."))], nil)
        default:
            // A debtor who pays without having promised: collected, but credited to no agent.
            return ([call(.paidClaimed)], balance > 0 && random.chance(50) ? (Money.format(min(balance, 5_000), currency: dossier.currency), today) : nil)
        }
    }

    /// The back office settles a few open disputes each day, as the creditor answers.
    private func resolveSomeDisputes(store: any HubStore, at time: Date, random: inout SampleDossiers.SplitMix64) async throws {
        for portfolio in portfolios {
            for row in try await store.dossierExport(portfolio: portfolio) where row.status == DossierStatus.disputed.rawValue && random.chance(25) {
                let outcome = random.pick([DisputeState.upheld, .rejected, .rejected, .adjusted])
                let amount = outcome == .adjusted ? Money.format(row.balance * 3 / 4, currency: row.currency) : nil
                _ = try await store.resolveDispute(DossierKey(portfolio: portfolio, reference: row.reference), outcome: outcome, amount: amount, now: time)
            }
        }
    }

    static func enrollDevice(store: any HubStore, login: String, now: Date) async throws -> DeviceAuth {
        let secret = Secrets.randomToken()
        try await store.createEnrollment(login: login, secretHash: Secrets.hash(secret), expiresAt: now.addingTimeInterval(3_600), now: now)
        let token = Secrets.randomToken()
        _ = try await store.redeemEnrollment(secretHash: Secrets.hash(secret), deviceId: UUID().uuidString.lowercased(),
                                             deviceName: "\(login)-laptop", tokenHash: Secrets.hash(token), now: now)
        guard let device = try await store.authenticate(tokenHash: Secrets.hash(token)) else {
            throw HomeshoreError("store_corrupt", "The generated device of \(login) cannot authenticate.")
        }
        return device
    }

    /// `hour:minute` in the agency's time zone, `dayOffset` days after `start`'s day.
    static func at(hour: Int, minute: Int = 0, dayOffset: Int, from start: Date) -> Date {
        let day = CalendarDate.adding(days: dayOffset, to: AgencyCalendar.day(of: start)) ?? AgencyCalendar.day(of: start)
        let midnight = AgencyCalendar.startOfDay(day) ?? start
        return AgencyCalendar.calendar().date(byAdding: DateComponents(hour: hour, minute: minute), to: midnight) ?? midnight
    }

    static let names = ["Camille Martin", "Hugo Bernard", "Sofia Petit", "Léa Dubois", "Nathan Moreau", "Chloé Laurent",
                        "Lucas Girard", "Inès Fournier", "Jules Mercier", "Manon Lefèvre", "Théo Rousseau", "Zoé Blanc"]
}

/// One agent's laptop: an outbox of ops recorded offline, pushed at each sync.
private struct AgentDesk {
    let device: DeviceAuth
    let lateSyncer: Bool
    var clock = HybridLogicalClock(node: UUID().uuidString.lowercased())
    var sequence: Int64 = 0
    var outbox: [SyncOp] = []

    init(device: DeviceAuth, lateSyncer: Bool) {
        self.device = device
        self.lateSyncer = lateSyncer
    }

    mutating func record(_ kind: OpKind, dossier: String, payload: OpPayload, at: Date) {
        sequence += 1
        outbox.append(SyncOp(id: UUID().uuidString.lowercased(), deviceSeq: sequence, kind: kind.rawValue, dossierId: dossier,
                             recordedAt: Timestamp.string(from: at), hlc: clock.tick(now: at).description, payload: payload))
    }

    mutating func push(to store: any HubStore, now: Date) async throws -> (applied: Int, rejected: Int, late: Int) {
        guard !outbox.isEmpty else { return (0, 0, 0) }
        let today = AgencyCalendar.day(of: now)
        let late = outbox.filter { Timestamp.parse($0.recordedAt).map { AgencyCalendar.day(of: $0) < today } ?? false }.count
        var applied = 0
        var rejected = 0
        for batch in stride(from: 0, to: outbox.count, by: Limits.maxOpsPerBatch).map({ Array(outbox[$0..<min($0 + Limits.maxOpsPerBatch, outbox.count)]) }) {
            let results = try await store.push(batch, from: device, queued: 0, oldestQueuedAt: nil, now: now)
            applied += results.filter { $0.status == .applied }.count
            rejected += results.filter { $0.status == .rejected }.count
        }
        outbox.removeAll()
        return (applied, rejected, late)
    }
}
