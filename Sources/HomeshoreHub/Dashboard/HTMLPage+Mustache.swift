import Mustache

// swift-mustache finds a name in a value by reflection unless the value answers it itself: on
// the team page of 200 agents, Mirror's per-lookup walk over every stored property (each name a
// miss in the cell, then the row, the table, the section, before it reaches the page) was nine
// tenths of the time. Each page type answers its stored properties by name here, as Mirror would:
// an optional that is nil is not there, so the lookup goes on up the context stack.

extension HTMLPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "subtitle": subtitle
        case "viewer": viewer
        case "nav": nav
        case "period": period
        case "message": message
        case "sections": sections
        case "loginForm": loginForm
        case "css": css
        default: nil
        }
    }
}

extension Viewer: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "login": login
        case "name": self.name
        case "role": role
        default: nil
        }
    }
}

extension NavItem: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "navLabel": navLabel
        case "navHref": navHref
        case "current": current
        default: nil
        }
    }
}

extension PeriodForm: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "action": action
        case "dates": dates
        case "teams": teams
        case "portfolios": portfolios
        case "search": search
        case "fromValue": fromValue
        case "toValue": toValue
        case "teamValue": teamValue
        case "portfolioValue": portfolioValue
        case "searchValue": searchValue
        default: nil
        }
    }
}

extension LoginForm: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "next": next
        case "loginName": loginName
        case "problem": problem
        default: nil
        }
    }
}

extension PageSection: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "heading": heading
        case "intro": intro
        case "facts": facts
        case "charts": charts
        case "tables": tables
        case "pager": pager
        case "actions": actions
        default: nil
        }
    }
}

extension Fact: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "term": term
        case "detail": detail
        case "factFigure": factFigure
        default: nil
        }
    }
}

extension ChartFigure: MustacheParent {
    func child(named name: String) -> Any? { name == "svg" ? svg : nil }
}

extension PageLink: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "href": href
        default: nil
        }
    }
}

extension HTMLTable: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "reportName": reportName
        case "caption": caption
        case "columns": columns
        case "rows": rows
        case "footer": footer
        case "emptyText": emptyText
        case "width": width
        default: nil
        }
    }
}

extension HTMLColumn: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "numeric": numeric
        default: nil
        }
    }
}

extension HTMLRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "cells": cells
        case "highlight": highlight
        default: nil
        }
    }
}

extension HTMLCell: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "text": text
        case "figure": figure
        case "link": link
        case "numeric": numeric
        case "instant": instant
        default: nil
        }
    }
}
