/// What a cell means; the terminal maps each role to colours and attributes (or attributes only under
/// `NO_COLOR`). Raw values are stable names used in golden files.
public enum Style: String, Hashable, Sendable, CaseIterable {
    case normal, dim, bold
    case border, borderFocused, title, titleFocused
    case header
    case selected, selectedUnfocused
    case active, pinned
    case passed, pending, failed
    case added, removed, hunk
    case statusBar, statusError, statusInfo, demo
    case legendKey, legendText, legendDisabled
    case overlay, overlayTitle, input, inputCursor, warning
    case match, matchCurrent
}
