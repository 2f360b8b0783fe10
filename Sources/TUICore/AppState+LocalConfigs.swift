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
        return p.marker
    }

    func planTitle(_ p: LocalConfigPlan) -> String { "Plan of " + Sanitizer.sanitize(p.file, maxCharacters: 80) }

    /// The plan of the selected agent as display lines wrapped to `width` (the `D` panel; derived from
    /// `localPlans`, so an answer that arrives while it is open shows at once).
    func planPanelLines(width: Int) -> [DetailLine] {
        guard let p = selectedLocalPlan else { return [DetailLine("No pulled config file names this agent any more.", style: .dim)] }
        var out = [DetailLine("\(p.file): \(p.title)", style: p.status == .unchanged ? .passed : .warning), DetailLine("")]
        for l in p.lines {
            let t = l.trimmingSpaces
            let style: Style = t.hasPrefix("CONFLICT") ? .failed : t.hasPrefix("drift") ? .warning : t.hasPrefix("- ") ? .removed
                : t.hasPrefix("+ ") ? .added : .overlay
            out.append(DetailLine(l, style: style))
        }
        out.append(DetailLine(""))
        out.append(DetailLine("Read-only here: `atoms-tui plan` prints this, `atoms-tui push` applies it through publish and its checks.", style: .dim))
        return out.flatMap { line in wordWrap(line.text, width: width).map { DetailLine($0, style: line.style) } }
    }

    /// `D` on an agent: its file's plan, in the scrollable, searchable text panel.
    mutating func showLocalPlan() -> [Effect] {
        guard selectedLocalPlan != nil else { return [] }
        overlay = .plan(TextPanel())
        return []
    }
}
