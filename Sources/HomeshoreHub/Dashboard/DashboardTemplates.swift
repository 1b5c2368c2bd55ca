import Mustache

/// The dashboard's mustache templates, compiled into the hub (it stays one binary with no files to
/// install). `{{ }}` escapes for HTML; only the stylesheets (`css`, `docCSS`) and SVG drawn by
/// `SVGChart` use `{{{ }}}`. `timeline-document` is the creditor's standalone timeline file.
enum DashboardTemplates {
    static let library: MustacheLibrary = {
        do {
            return MustacheLibrary(templates: [
                "page": try MustacheTemplate(string: page),
                "section": try MustacheTemplate(string: section),
                "pager": try MustacheTemplate(string: pager),
                "table": try MustacheTemplate(string: table),
                "row": try MustacheTemplate(string: row),
                "timeline-document": try MustacheTemplate(string: DossierTimelineDocument.template),
            ])
        } catch {
            // Constant text, exercised by every dashboard test: a failure here is a programming error.
            preconditionFailure("dashboard template does not parse: \(error)")
        }
    }()

    static func render(_ page: HTMLPage) -> String {
        library.render(page, withTemplate: "page") ?? ""
    }

    static let page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="same-origin">
        <title>{{title}} · Homeshore</title>
        <style>{{{css}}}</style>
        </head>
        <body>
        {{#viewer}}
        <header class="bar">
        <nav aria-label="Dashboard"><span class="brand">Homeshore</span>
        {{#nav}}<a href="{{navHref}}"{{#current}} aria-current="page"{{/current}}>{{navLabel}}</a>
        {{/nav}}</nav>
        <form class="logout" method="post" action="/logout"><span>{{name}} · {{role}}</span><button type="submit">Log out</button></form>
        </header>
        {{/viewer}}
        <main>
        {{#loginForm}}
        <form class="login" method="post" action="/login">
        <h1>Homeshore dashboard</h1>
        <p class="sub">Supervisors and admins log in here.</p>
        {{#problem}}<p class="message" role="alert">{{problem}}</p>{{/problem}}
        <input type="hidden" name="next" value="{{next}}">
        <label for="login">Login</label>
        <input id="login" name="login" autocomplete="username" required maxlength="40" value="{{loginName}}" autofocus>
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="200">
        <button type="submit">Log in</button>
        </form>
        {{/loginForm}}
        {{^loginForm}}
        <h1>{{title}}</h1>
        {{#subtitle}}<p class="sub">{{subtitle}}</p>{{/subtitle}}
        {{#message}}<p class="message" role="alert">{{message}}</p>{{/message}}
        {{#period}}
        <form class="period" method="get" action="{{action}}">
        {{#dates}}<label>From <input type="date" name="from" value="{{fromValue}}"></label>
        <label>To <input type="date" name="to" value="{{toValue}}"></label>{{/dates}}
        {{#teams}}<label>Team <input name="team" value="{{teamValue}}" maxlength="200"></label>{{/teams}}
        {{#portfolios}}<label>Portfolio <input name="portfolio" value="{{portfolioValue}}" maxlength="200"></label>{{/portfolios}}
        {{#search}}<label>Reference or debtor <input name="q" value="{{searchValue}}" maxlength="200"></label>{{/search}}
        <button type="submit">Show</button>
        </form>
        {{/period}}
        {{#sections}}{{> section}}{{/sections}}
        {{/loginForm}}
        </main>
        </body>
        </html>

        """

    static let section = """
        <section>
        {{#heading}}<h2>{{heading}}</h2>{{/heading}}
        {{#intro}}<p class="intro">{{intro}}</p>{{/intro}}
        {{^empty(facts)}}<dl class="facts">{{/empty(facts)}}{{#facts}}<div><dt>{{term}}</dt><dd{{#factFigure}} data-figure="{{factFigure}}"{{/factFigure}}>{{detail}}</dd></div>{{/facts}}{{^empty(facts)}}</dl>{{/empty(facts)}}
        {{^empty(charts)}}<div class="charts">{{/empty(charts)}}{{#charts}}<figure>{{{svg}}}</figure>{{/charts}}{{^empty(charts)}}</div>{{/empty(charts)}}
        {{> pager}}
        {{^empty(tables)}}<div class="tables">{{/empty(tables)}}{{#tables}}{{> table}}{{/tables}}{{^empty(tables)}}</div>{{/empty(tables)}}
        {{> pager}}
        {{^empty(actions)}}<ul class="actions">{{/empty(actions)}}{{#actions}}<li><a href="{{href}}">{{label}}</a></li>{{/actions}}{{^empty(actions)}}</ul>{{/empty(actions)}}
        </section>

        """

    static let pager = """
        {{^empty(pager)}}<nav class="pager" aria-label="Pages">{{#pager}}<a href="{{href}}">{{label}}</a>{{/pager}}</nav>{{/empty(pager)}}
        """

    static let table = """
        <div class="table-wrap"><table data-report="{{reportName}}">
        {{#caption}}<caption>{{caption}}</caption>{{/caption}}
        <thead><tr>{{#columns}}<th scope="col"{{#numeric}} class="num"{{/numeric}}>{{label}}</th>{{/columns}}</tr></thead>
        <tbody>
        {{#rows}}{{> row}}{{/rows}}
        {{^rows}}<tr><td colspan="{{width}}" class="empty">{{emptyText}}</td></tr>{{/rows}}
        </tbody>
        {{^empty(footer)}}<tfoot>{{/empty(footer)}}{{#footer}}{{> row}}{{/footer}}{{^empty(footer)}}</tfoot>{{/empty(footer)}}
        </table></div>

        """

    static let row = """
        <tr{{#highlight}} class="flag"{{/highlight}}>{{#cells}}<td{{#numeric}} class="num"{{/numeric}}{{#instant}} class="when"{{/instant}}{{#figure}} data-figure="{{figure}}"{{/figure}}>{{#link}}<a href="{{link}}">{{text}}</a>{{/link}}{{^link}}{{text}}{{/link}}</td>{{/cells}}</tr>

        """
}
