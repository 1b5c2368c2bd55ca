/// The dashboard's one stylesheet, inline in every page: the hub serves no files and pages must
/// work without internet. Sized for a laptop screen; printing drops navigation and forms.
enum DashboardStyle {
    /// A chart's column: the chart at its own size plus its figure's padding and border, so no
    /// column is narrower than a chart (which would shrink its text) on a laptop.
    static let chartCell = Int(SVGChart.width) + 18

    static let css = """
        :root { color-scheme: light; --ink: #1d2430; --muted: #5b6678; --line: #d5dae3; --accent: #1f5fbf; --flag: #fff1d6; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f7f9; }
        header.bar { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: .5rem 1rem;
          padding: .5rem 1.25rem; background: #fff; border-bottom: 1px solid var(--line); }
        header.bar nav { display: flex; flex-wrap: wrap; gap: .25rem 1rem; align-items: center; }
        header.bar .brand { font-weight: 700; margin-right: .5rem; }
        header.bar a { color: var(--accent); text-decoration: none; padding: .15rem 0; }
        header.bar a[aria-current="page"] { color: var(--ink); border-bottom: 2px solid var(--accent); }
        form.logout { display: flex; gap: .5rem; align-items: center; color: var(--muted); margin: 0; }
        main { max-width: 1280px; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
        h1 { font-size: 1.45rem; margin: .25rem 0; }
        h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
        p.sub, p.intro { color: var(--muted); margin: .25rem 0 .75rem; }
        p.message { padding: .5rem .75rem; border-radius: 4px; background: #fde8e8; border: 1px solid #f3b4b4; }
        form.period { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin: .75rem 0 1rem;
          padding: .6rem .8rem; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
        form.period label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); }
        input, button { font: inherit; padding: .3rem .5rem; border: 1px solid var(--line); border-radius: 4px; }
        button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; }
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; background: #fff; width: 100%; margin: .25rem 0 1rem; }
        th, td { padding: .35rem .55rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
        th { font-size: .78rem; text-transform: uppercase; letter-spacing: .02em; color: var(--muted); background: #fafbfc; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tr.flag td { background: var(--flag); }
        tfoot td { font-weight: 600; border-top: 2px solid var(--ink); }
        td.empty { color: var(--muted); font-style: italic; }
        td a { color: var(--accent); }
        dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: .5rem; margin: .5rem 0 1rem; }
        dl.facts div { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .45rem .6rem; }
        dl.facts dt { font-size: .75rem; color: var(--muted); text-transform: uppercase; }
        dl.facts dd { margin: 0; font-size: 1.05rem; font-weight: 600; font-variant-numeric: tabular-nums; }
        .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, \(chartCell)px), 1fr)); gap: 1rem; margin: .5rem 0 1rem; }
        .tables { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 0 1.5rem; }
        caption { text-align: left; font-weight: 600; padding: .3rem 0; }
        td.when { white-space: nowrap; }
        .charts figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .5rem; }
        .charts svg { max-width: 100%; height: auto; display: block; }
        ul.actions { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; }
        ul.actions a { color: var(--accent); }
        nav.pager { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; margin: .5rem 0; }
        nav.pager a { color: var(--accent); }
        .login { max-width: 22rem; margin: 4rem auto; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1.25rem 1.5rem; }
        .login label { display: block; margin: .6rem 0 .2rem; }
        .login input { width: 100%; }
        .login button { margin-top: 1rem; width: 100%; }
        @media print {
          body { background: #fff; font-size: 11px; }
          header.bar, form.period, form.logout, ul.actions, nav.pager, .noprint { display: none !important; }
          main { max-width: none; padding: 0; }
          table { page-break-inside: auto; }
          tr { page-break-inside: avoid; }
          a { color: inherit; text-decoration: none; }
          .charts, .tables { display: block; }
          .charts figure { page-break-inside: avoid; border: none; }
        }
        """
}
