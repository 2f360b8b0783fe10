import Foundation

/// The one mapping between the three shapes of an agent's config, used by the client and the simulator:
///
/// * the **request document** (`DraftConfigRequest` / `UpdateBranchDraftRequest` field names), which is
///   what a person edits and what PATCH/PUT carry;
/// * the flat **`_resolvedConfig`** of `GET /agent/{id}` (different keys for a few fields);
/// * the **section-keyed** config of `GET …/versions/{id}` `resolvedConfig`, of `blocks` and of diffs.
public enum ConfigMapping {
    /// The 13 config sections named by `AgentVersion.blocks`.
    public static let sections = ["workflow_prompt", "workflow_tools", "workflow_graph", "llm", "voice", "language",
                                  "call_handling", "detection", "analytics", "timeouts", "audio", "privacy", "widget"]

    /// Every field `DraftConfigRequest` accepts.
    public static let requestFields: [String] = [
        "singlePromptConfig", "postCallAnalyticsConfig", "language", "synthesizer", "slmModel", "transcriberType",
        "customLLMWebSocketUrl", "widgetConfig", "defaultVariables", "preCallAPI", "globalPrompt", "globalKnowledgeBaseId",
        "firstMessage", "allowInterruptions", "waitForUserToSpeakFirst", "muteUserUntilFirstBotResponse",
        "interruptionBackoffTimer", "backgroundSound", "smartTurnConfig", "voiceDetectionConfig",
        "voiceMailDetectionConfig", "denoisingConfig", "redactionConfig", "pronunciationDicts", "llmIdleTimeoutConfig",
        "sessionTimeoutConfig", "workflowType", "timezone", "callDispositionConfig", "enableStyleGuide", "speechFormatting",
    ]

    /// The section a request field (or `singlePromptConfig.prompt` / `.tools`) lives in.
    public static func section(ofRequestField field: String) -> String {
        switch field {
        case "singlePromptConfig.prompt", "globalPrompt", "prompt": return "workflow_prompt"
        case "singlePromptConfig.tools", "tools": return "workflow_tools"
        case "workflowGraph", "workflowType": return "workflow_graph"
        case "slmModel", "transcriberType", "customLLMWebSocketUrl", "globalKnowledgeBaseId", "defaultVariables",
             "preCallAPI", "enableStyleGuide", "speechFormatting", "timezone": return "llm"
        case "synthesizer", "pronunciationDicts": return "voice"
        case "language": return "language"
        case "firstMessage", "allowInterruptions", "waitForUserToSpeakFirst", "muteUserUntilFirstBotResponse",
             "interruptionBackoffTimer": return "call_handling"
        case "smartTurnConfig", "voiceDetectionConfig", "voiceMailDetectionConfig": return "detection"
        case "postCallAnalyticsConfig", "callDispositionConfig": return "analytics"
        case "llmIdleTimeoutConfig", "sessionTimeoutConfig": return "timeouts"
        case "backgroundSound", "denoisingConfig": return "audio"
        case "redactionConfig": return "privacy"
        case "widgetConfig": return "widget"
        default: return "llm"
        }
    }

    /// The sections a request document touches (for `blocks` rotation, `changedSections`).
    public static func sections(touchedBy doc: ConfigDocument) -> [String] {
        var out = Set<String>()
        for (k, v) in doc {
            if k == "singlePromptConfig", case .object(let spc) = v {
                if spc["prompt"] != nil { out.insert("workflow_prompt") }
                if spc["tools"] != nil { out.insert("workflow_tools") }
                if spc.isEmpty { out.insert("workflow_prompt") }
            } else {
                out.insert(section(ofRequestField: k))
            }
        }
        return sections.filter { out.contains($0) }
    }

    /// `_resolvedConfig` (flat, GET /agent/{id}) → request document.
    /// `prompt`+`tools` → `singlePromptConfig{prompt,tools}`, `modelName` → `slmModel`,
    /// `defaultLanguage`/`supportedLanguages`/`languageSwitching` → `language{default,supported,switching}`;
    /// `workflowGraph` is not a request field and is dropped when null; the rest map one to one.
    public static func requestDocument(fromResolved resolved: ConfigDocument) -> ConfigDocument {
        var doc: ConfigDocument = [:]
        var spc: ConfigDocument = [:]
        var lang: ConfigDocument = [:]
        for (k, v) in resolved {
            switch k {
            case "prompt": spc["prompt"] = v
            case "tools": spc["tools"] = v
            case "modelName": doc["slmModel"] = v
            case "defaultLanguage": lang["default"] = v
            case "supportedLanguages": lang["supported"] = v
            case "languageSwitching": lang["switching"] = v
            case "workflowGraph": if !v.isNull { doc["workflowGraph"] = v }
            default: doc[k] = v
            }
        }
        if !spc.isEmpty { doc["singlePromptConfig"] = .object(spc) }
        if !lang.isEmpty { doc["language"] = .object(lang) }
        return doc
    }

    /// Request document → `_resolvedConfig` (the inverse of `requestDocument(fromResolved:)`).
    public static func resolved(fromRequestDocument doc: ConfigDocument) -> ConfigDocument {
        var out: ConfigDocument = [:]
        for (k, v) in doc {
            switch k {
            case "singlePromptConfig":
                if let o = v.objectValue {
                    if let p = o["prompt"] { out["prompt"] = p }
                    if let t = o["tools"] { out["tools"] = t }
                }
            case "slmModel": out["modelName"] = v
            case "language":
                if let o = v.objectValue {
                    if let d = o["default"] { out["defaultLanguage"] = d }
                    if let s = o["supported"] { out["supportedLanguages"] = s }
                    if let w = o["switching"] { out["languageSwitching"] = w }
                }
            default: out[k] = v
            }
        }
        return out
    }

    /// Request document → section-keyed config (`resolvedConfig` of a version, and the unit diffs work in).
    /// `singlePromptConfig.prompt` → `workflow_prompt.prompt`, `.tools` → `workflow_tools.tools`; every other
    /// field goes under its section with its own name.
    public static func sectioned(fromRequestDocument doc: ConfigDocument) -> [String: JSONValue] {
        var out: [String: ConfigDocument] = [:]
        for (k, v) in doc {
            if k == "singlePromptConfig", let o = v.objectValue {
                if let p = o["prompt"] { out["workflow_prompt", default: [:]]["prompt"] = p }
                if let t = o["tools"] { out["workflow_tools", default: [:]]["tools"] = t }
            } else {
                out[section(ofRequestField: k), default: [:]][k] = v
            }
        }
        return out.mapValues { .object($0) }
    }

    /// Section-keyed config → request document (the inverse of `sectioned(fromRequestDocument:)`).
    public static func requestDocument(fromSectioned sectioned: [String: JSONValue]) -> ConfigDocument {
        var doc: ConfigDocument = [:]
        var spc: ConfigDocument = [:]
        for (section, value) in sectioned {
            guard let fields = value.objectValue else { continue }
            for (k, v) in fields {
                if section == "workflow_prompt" && k == "prompt" { spc["prompt"] = v }
                else if section == "workflow_tools" && k == "tools" { spc["tools"] = v }
                else { doc[k] = v }
            }
        }
        if !spc.isEmpty { doc["singlePromptConfig"] = .object(spc) }
        return doc
    }

    /// A section-grouped diff of two request documents, in the spec's `AgentVersionDiff` shape.
    public static func diff(from old: ConfigDocument, to new: ConfigDocument) -> AgentVersionDiff {
        let a = sectioned(fromRequestDocument: old)
        let b = sectioned(fromRequestDocument: new)
        var diffs: [DiffSection] = []
        var unchanged: [String] = []
        for s in sections {
            let changes = JSONValue.changedPaths(a[s], b[s]).map { DiffChange(path: $0.path, oldValue: $0.old, newValue: $0.new) }
            if changes.isEmpty { unchanged.append(s) } else { diffs.append(DiffSection(section: s, changes: changes)) }
        }
        return AgentVersionDiff(unchangedSections: unchanged, diffs: diffs)
    }
}
