import AtomsModels

/// Configs as code in the TUI: the pulled `*.atoms.yaml` files of the directory the TUI started in are
/// planned against the platform (`.planLocalConfigs`, the CLI's `plan`); agents whose file and live
/// config differ are marked in the agents pane, and `D` on such an agent shows the plan. Read-only:
/// pushing stays a CLI step (`atoms-tui push`).
extension AppState {
    /// The plan effect, when there is a directory to plan.
    mutating func planLocalConfigs() -> [Effect] {
        guard let dir = localConfigDir else { return [] }
        return [.planLocalConfigs(dir: dir, generation: apiGeneration)]
    }

    /// The plan of the agent under the agents cursor (or shown in the detail area), if a file names it.
    public var selectedLocalPlan: LocalConfigPlan? {
        guard focus == .agents || (focus == .detail && detailOwner == .agents), let id = selectedAgentId else { return nil }
        return localPlans[id]
    }

    /// The agents pane's mark of an agent ("≈" drift, "~" local changes, "!" conflict, "✗" error).
    func localPlanMarker(_ agentId: String) -> String? {
        guard let p = localPlans[agentId], p.status != .unchanged else { return nil }
        return p.status.marker
    }

    func planTitle(_ p: LocalConfigPlan) -> String { "Plan of " + Sanitizer.sanitize(p.file, maxCharacters: 80) }

    func planLines(_ p: LocalConfigPlan) -> [DetailLine] {
        var out = [DetailLine("\(p.file): \(p.status.words)", style: p.status == .unchanged ? .passed : .warning), DetailLine("")]
        for l in p.lines {
            let t = l.trimmingSpaces
            let style: Style = t.hasPrefix("CONFLICT") ? .failed : t.hasPrefix("drift") ? .warning : t.hasPrefix("- ") ? .removed
                : t.hasPrefix("+ ") ? .added : .overlay
            out.append(DetailLine(l, style: style))
        }
        out.append(DetailLine(""))
        out.append(DetailLine("Read-only here: `atoms-tui plan` prints this, `atoms-tui push` applies it through publish and its checks.", style: .dim))
        return out
    }

    /// `D` on an agent: its file's plan.
    mutating func showLocalPlan() -> [Effect] {
        guard let p = selectedLocalPlan else { return [] }
        overlay = .plan(PlanPanel(title: planTitle(p), lines: planLines(p)))
        return []
    }

    /// Keys of a text panel: scroll, Esc/q close.
    mutating func planPanelKey(_ key: Key, _ panel: PlanPanel) -> [Effect] {
        var t = panel
        let count = t.lines.count
        switch key {
        case .escape, .char("q"), .char("D"), .enter:
            overlay = nil
            return []
        case .down, .char("j"): t.scroll = min(max(0, count - 1), t.scroll + 1)
        case .up, .char("k"): t.scroll = max(0, t.scroll - 1)
        case .pageDown, .char(" "): t.scroll = min(max(0, count - 1), t.scroll + 10)
        case .pageUp: t.scroll = max(0, t.scroll - 10)
        case .home, .char("g"): t.scroll = 0
        case .end, .char("G"): t.scroll = max(0, count - max(1, size.height - 8))
        default: return []
        }
        overlay = .plan(t)
        return []
    }

    func drawPlanPanel(_ screen: inout Screen, _ t: PlanPanel) {
        let room = max(1, screen.height - 8)
        let first = max(0, min(t.scroll, max(0, t.lines.count - 1)))
        var lines: [(String, Style)] = t.lines[first...].prefix(room).map { ($0.text, $0.style == .normal ? .overlay : $0.style) }
        if t.lines.count > room { lines.append(("\(first + 1)–\(min(t.lines.count, first + room))/\(t.lines.count) (j/k PgUp/PgDn)", .dim)) }
        drawMessage(&screen, title: t.title, lines: lines, footer: "Esc close", width: 110)
    }
}
