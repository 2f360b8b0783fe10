import AtomsClient
import AtomsModels
import Foundation
import TUICore

extension EffectRunner {
    /// `.planLocalConfigs`: every `*.atoms.yaml` of `dir` planned the way `atoms-tui plan` does (the
    /// shared `ConfigSync.plan`, two files at a time under the client's rate limiter), in the plan's
    /// words (`ConfigPlanText`). Files that name no agent are left out (nothing to mark).
    static func planLocalConfigs(dir: String, generation: APIGeneration, _ services: RuntimeServices) async -> Msg {
        let paths = ConfigDirectory.paths(in: dir)
        guard !paths.isEmpty else { return .localPlansLoaded(dir: dir, []) }
        let sync = ConfigSync(client: services.lifecycle.client, generation: generation)
        let plans = await Bounded.map(paths, limit: 2) { await plan($0, sync) }.compactMap { $0 }
        return .localPlansLoaded(dir: dir, plans)  // in file-name order, as ConfigDirectory lists them
    }

    private static func plan(_ path: String, _ sync: ConfigSync) async -> LocalConfigPlan? {
        let loaded = ConfigDirectory.load(path)
        let name = URL(fileURLWithPath: path).lastPathComponent
        guard let file = loaded.file, let agentId = file.header.agentId else { return nil }
        let entry = await sync.plan(file, path: path)
        let status: LocalConfigPlan.Status
        switch entry.status {
        case .unchanged: status = .unchanged
        case .changes: status = .changes
        case .drift: status = .drift
        case .conflict: status = .conflict
        case .new, .missing, .error: status = .error
        }
        return LocalConfigPlan(agentId: agentId, file: name, status: status, marker: ConfigPlanText.marker(entry.status),
                               title: ConfigPlanText.title(entry.status), lines: ConfigPlanText.lines(entry))
    }
}
