/// Where everything goes for a terminal size. Wide terminals (≥ 100 columns) show the three list
/// panes side by side; from 60 columns Agents plus one of Versions/Drafts (Tab switches); below
/// that one pane at a time with a tab strip. Short terminals drop the detail area unless it has focus.
/// Below `minimum` nothing but a "terminal too small" message is drawn.
public struct Layout: Hashable, Sendable {
    /// The smallest size the full UI is drawn at.
    public static let minimum = Size(width: 40, height: 10)

    /// The size.
    public var size: Size
    /// True below `minimum`.
    public var tooSmall: Bool
    /// The visible list panes and their boxes, left to right.
    public var panes: [(pane: Pane, rect: Rect)]
    /// The detail box, when shown.
    public var detail: Rect?
    /// The status line row.
    public var statusRow: Int
    /// The key legend row.
    public var legendRow: Int
    /// Panes not shown side by side (reached with Tab), for the tab strip.
    public var tabbed: Bool

    /// Computes the layout.
    public init(size: Size, focus: Pane, detailOwner: Pane) {
        self.size = size
        tooSmall = size.width < Layout.minimum.width || size.height < Layout.minimum.height
        panes = []
        detail = nil
        statusRow = size.height - 2
        legendRow = size.height - 1
        tabbed = false
        guard !tooSmall else { return }
        let bodyHeight = size.height - 2
        let w = size.width
        let owner = focus == .detail ? detailOwner : focus
        if focus == .detail && bodyHeight < 14 {
            detail = Rect(x: 0, y: 0, width: w, height: bodyHeight)
            return
        }
        let paneHeight = bodyHeight >= 14 ? (bodyHeight + 1) / 2 : bodyHeight
        if bodyHeight >= 14 { detail = Rect(x: 0, y: paneHeight, width: w, height: bodyHeight - paneHeight) }
        if w >= 100 {
            let a = w * 30 / 100, v = w * 40 / 100
            panes = [(.agents, Rect(x: 0, y: 0, width: a, height: paneHeight)),
                     (.versions, Rect(x: a, y: 0, width: v, height: paneHeight)),
                     (.drafts, Rect(x: a + v, y: 0, width: w - a - v, height: paneHeight))]
        } else if w >= 60 {
            let a = w * 38 / 100
            let right: Pane = owner == .drafts ? .drafts : .versions
            panes = [(.agents, Rect(x: 0, y: 0, width: a, height: paneHeight)),
                     (right, Rect(x: a, y: 0, width: w - a, height: paneHeight))]
            tabbed = true
        } else {
            let only: Pane = owner == .detail ? .agents : owner
            panes = [(only, Rect(x: 0, y: 0, width: w, height: paneHeight))]
            tabbed = true
        }
    }

    /// The box of a pane, if shown.
    public func rect(_ pane: Pane) -> Rect? {
        if pane == .detail { return detail }
        return panes.first { $0.pane == pane }?.rect
    }

    /// Content rows of a pane: list rows below the header (lists), text lines (detail); at least 1.
    public func contentRows(_ pane: Pane) -> Int {
        guard let r = rect(pane) else { return 1 }
        return max(1, r.height - (pane == .detail ? 2 : 3))
    }

    public static func == (a: Layout, b: Layout) -> Bool {
        a.size == b.size && a.detail == b.detail && a.panes.map(\.pane) == b.panes.map(\.pane) && a.panes.map(\.rect) == b.panes.map(\.rect)
    }

    public func hash(into h: inout Hasher) {
        h.combine(size)
        h.combine(detail)
        for p in panes { h.combine(p.pane); h.combine(p.rect) }
    }
}
