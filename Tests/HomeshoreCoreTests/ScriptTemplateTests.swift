import HomeshoreCore
import Testing

@Suite struct ScriptTemplateTests {
    @Test func placeholdersAreFilledWithOrWithoutSpacesAndRepeated() {
        let text = "Bonjour {{debtor_name}}, il reste {{ balance }} €.\n{{  debtor_name\t}} — lettre {{letter_ref}} du {{letter_date}}."
        let values = ["debtor_name": "Hélène Lefèvre-Noël", "balance": "1 234,50", "letter_ref": "L-7", "letter_date": "2026-03-31"]
        #expect(ScriptTemplate.render(text, values: values)
                == "Bonjour Hélène Lefèvre-Noël, il reste 1 234,50 €.\nHélène Lefèvre-Noël — lettre L-7 du 2026-03-31.")
    }

    @Test func missingOrEmptyValuesBecomeADash() {
        #expect(ScriptTemplate.render("Promesse : {{last_promise}} / {{balance}}", values: ["balance": ""]) == "Promesse : — / —")
    }

    @Test func valuesAreNotRenderedAgainAndBrokenBracesStayAsWritten() {
        #expect(ScriptTemplate.render("{{debtor_name}}", values: ["debtor_name": "{{balance}}"]) == "{{balance}}")
        #expect(ScriptTemplate.render("a {{ b\n}} {{balance}} {", values: ["balance": "5"]) == "a {{ b\n}} 5 {")
        #expect(ScriptTemplate.render("", values: [:]) == "")
    }

    @Test func aValidScriptHasNoProblems() {
        let text = "# Premier contact\n\nBonjour {{ debtor_name }}, solde {{balance}}. {single} braces } are fine.\n"
        #expect(ScriptTemplate.problems(in: text).isEmpty)
        #expect(ScriptTemplate.placeholders == ["debtor_name", "balance", "last_promise", "letter_ref", "letter_date"])
    }

    @Test func unknownPlaceholdersAreReportedWithLineAndColumn() {
        let text = "Bonjour {{debtor_name}},\nÉlodie dit : {{ montant }} et {{}}\r\n{{Balance}}"
        let problems = ScriptTemplate.problems(in: text)
        #expect(problems.map { "\($0.line):\($0.column)" } == ["2:14", "2:31", "3:1"])
        #expect(problems[0].message
                == "unknown placeholder {{montant}}; use one of debtor_name, balance, last_promise, letter_ref, letter_date")
        #expect(problems[1].message.hasPrefix("an empty placeholder {{}}"))
    }

    @Test func unclosedBracesAreReportedWithLineAndColumn() {
        let text = "ligne un\n  {{debtor_name\n{{ balance {{letter_ref}}\nfin {{"
        let problems = ScriptTemplate.problems(in: text)
        #expect(problems.map { "\($0.line):\($0.column)" } == ["2:3", "3:1", "4:5"])
        #expect(problems.allSatisfy { $0.message == #""{{" is not closed by "}}" on the same line"# })
    }

    @Test func situationsUseTheirFileNames() {
        #expect(Situation.allCases.map(\.rawValue) == ["first-contact", "broken-promise", "plan-follow-up", "dispute-follow-up", "inbound"])
    }
}
