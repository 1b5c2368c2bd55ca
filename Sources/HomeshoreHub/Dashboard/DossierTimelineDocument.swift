import Foundation
import HomeshoreCore

/// A dossier's record for its creditor as one standalone HTML file (`homeshore-hub report timeline`):
/// where the dossier stands, then every event of its merged timeline with agent and agency time,
/// the same rows as the dashboard's dossier page. Nothing else: no navigation, no link back to the
/// hub, no script, styles inline, so it opens anywhere, is mailed as is and prints on A4.
public enum DossierTimelineDocument {
    public static func html(for change: DossierChange, now: Date) -> String {
        DashboardTemplates.library.render(View(change, now: now), withTemplate: "timeline-document") ?? ""
    }

    /// What the template walks. Keys differ from the `table` and `row` partials' (mustache looks a
    /// missing key up in the enclosing objects), hence the `doc` prefixes.
    struct View {
        let docTitle: String
        let docHeading: String
        let docSubtitle: String
        let docFacts: [Fact]
        let docTimeline: HTMLTable
        let docEvents: Int
        let docPrinted: String
        let docZone = AgencyTime.zoneName
        let docCSS = DossierTimelineDocument.css

        init(_ change: DossierChange, now: Date) {
            let d = change.dossier
            docTitle = "\(d.portfolio) \(d.reference) — \(d.debtorName)"
            docHeading = "\(d.portfolio) / \(d.reference) — \(d.debtorName)"
            docSubtitle = "\(d.debtorType), amounts in \(d.currency); times in agency time (\(AgencyTime.zoneName))."
            docFacts = [Fact(term: "Creditor portfolio", detail: d.portfolio), Fact(term: "Reference", detail: d.reference),
                        Fact(term: "Debtor", detail: d.debtorName)]
                + DossierFacts.facts(change, assignee: false)
            docTimeline = DossierTimelineHTML.table(change)
            docEvents = docTimeline.rows.count
            docPrinted = AgencyTime.display(Timestamp.string(from: now))
        }
    }

    static let template = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{docTitle}}</title>
        <style>{{{docCSS}}}</style>
        </head>
        <body>
        <header>
        <p class="kicker">Dossier record · every action and note, oldest first</p>
        <h1>{{docHeading}}</h1>
        <p class="sub">{{docSubtitle}}</p>
        </header>
        <dl class="facts">{{#docFacts}}<div><dt>{{term}}</dt><dd{{#factFigure}} data-figure="{{factFigure}}"{{/factFigure}}>{{detail}}</dd></div>{{/docFacts}}</dl>
        <h2>Timeline ({{docEvents}} events)</h2>
        {{#docTimeline}}{{> table}}{{/docTimeline}}
        <footer>Printed {{docPrinted}} ({{docZone}}) from the Homeshore hub.</footer>
        </body>
        </html>

        """

    /// Only what a document needs, black on white; table headers repeat on every printed page.
    static let css = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 1.5rem auto; max-width: 62rem; padding: 0 1rem; color: #1d2430; background: #fff;
          font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        h1 { font-size: 1.35rem; margin: .2rem 0; }
        h2 { font-size: 1.05rem; margin: 1.25rem 0 .4rem; }
        p.kicker, p.sub, footer { color: #5b6678; margin: .2rem 0; }
        p.kicker { font-size: .75rem; text-transform: uppercase; letter-spacing: .03em; }
        dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(10.5rem, 1fr)); gap: .4rem; margin: .75rem 0 1rem; }
        dl.facts div { border: 1px solid #d5dae3; border-radius: 4px; padding: .35rem .5rem; break-inside: avoid; }
        dl.facts dt { font-size: .72rem; color: #5b6678; text-transform: uppercase; }
        dl.facts dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
        table { border-collapse: collapse; width: 100%; }
        thead { display: table-header-group; }
        th, td { padding: .3rem .45rem; border-bottom: 1px solid #d5dae3; text-align: left; vertical-align: top; }
        th { font-size: .72rem; text-transform: uppercase; letter-spacing: .02em; color: #5b6678; }
        td { overflow-wrap: anywhere; }
        td.when { white-space: nowrap; font-variant-numeric: tabular-nums; }
        td.empty { color: #5b6678; font-style: italic; }
        tr.flag td { background: #fff1d6; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        footer { margin-top: 1rem; font-size: .8rem; }
        @page { size: A4; margin: 14mm 12mm; }
        @media print {
          body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
          tr, dl.facts div { break-inside: avoid; }
        }
        """
}
