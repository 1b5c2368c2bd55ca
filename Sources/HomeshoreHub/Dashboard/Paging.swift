import Foundation
import HomeshoreCore

/// One page of a long list on the dashboard, from `?page=N` (1-based), newest first: a page keeps a
/// browser fast and a printout short, while the CSV of the same report keeps every row.
struct Paging: Equatable {
    /// Rows of the compliance list run two or three lines (the breach is a sentence): 100 of them
    /// are about 5,500 px on a laptop, 200 were still 11,000.
    static let defaultSize = 100
    /// Far beyond any real list; only keeps the arithmetic bounded.
    static let maxPage = 1_000_000

    let page: Int
    let size: Int
    let total: Int

    init(page: Int, size: Int = Paging.defaultSize, total: Int) {
        self.page = page
        self.size = size
        self.total = total
    }

    /// The page asked for; a missing or blank `page` is the first, anything but a page number is refused.
    init(_ fields: FormFields, size: Int = Paging.defaultSize, total: Int) throws {
        var page = 1
        if let text = fields.text("page") {
            guard text.count <= 7, text.allSatisfy(\.isASCII), let number = Int(text), (1...Self.maxPage).contains(number) else {
                throw HomeshoreError("invalid_page", "The page parameter \"\(text.prefix(40))\" is not a page number like 2.")
            }
            page = number
        }
        self.init(page: page, size: size, total: total)
    }

    /// Pages the list fills; an empty list still has its (empty) first page.
    var pages: Int { max(1, (total + size - 1) / size) }
    var isPastEnd: Bool { page > pages }
    /// The positions shown; empty past the end.
    var range: Range<Int> {
        let start = min((page - 1) * size, total)
        return start..<min(start + size, total)
    }

    var isPaged: Bool { total > size }

    /// Links to the neighbouring pages (and back from past the end), each `base` plus `page=N`.
    func links(_ href: (Int) -> String) -> [PageLink] {
        if isPastEnd {
            return [PageLink(label: "First page", href: href(1)), PageLink(label: "Last page (\(pages))", href: href(pages))]
        }
        var links: [PageLink] = []
        if page > 2 { links.append(PageLink(label: "« Newest", href: href(1))) }
        if page > 1 { links.append(PageLink(label: "‹ Newer", href: href(page - 1))) }
        if page < pages { links.append(PageLink(label: "Older ›", href: href(page + 1))) }
        if page < pages - 1 { links.append(PageLink(label: "Oldest »", href: href(pages))) }
        return links
    }
}
