import Foundation
import AtomsModels

/// Validates a request document against the spec's `DraftConfigRequest` schema before anything is
/// sent: unknown fields, types, enums, ranges, string lengths, the language rules, tool shapes.
public enum ConfigValidator {
    /// One problem, with the field path it concerns.
    public struct Issue: Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    static let languages: Set<String> = ["en", "hi", "mr", "gu", "ta", "es", "north_indic", "bn", "or"]
    static let slmModels: Set<String> = ["electron", "electron-kogta", "electron-kogta-v2", "gpt-4o", "gpt-4.1", "gpt-5.2",
                                         "gpt-realtime", "gpt-realtime-mini"]
    static let backgroundSounds: Set<String> = ["", "office", "cafe", "call_center", "static"]
    static let toolTypes: Set<String> = ["end_call", "transfer_call", "api_call", "extract_dynamic_variables", "knowledge_base_search"]
    static let booleans: Set<String> = ["allowInterruptions", "waitForUserToSpeakFirst", "muteUserUntilFirstBotResponse",
                                        "enableStyleGuide", "speechFormatting"]
    static let strings: Set<String> = ["transcriberType", "customLLMWebSocketUrl", "globalKnowledgeBaseId", "callDispositionConfig"]
    static let objects: Set<String> = ["postCallAnalyticsConfig", "synthesizer", "widgetConfig", "defaultVariables", "preCallAPI",
                                       "smartTurnConfig", "voiceDetectionConfig", "voiceMailDetectionConfig", "denoisingConfig",
                                       "redactionConfig", "llmIdleTimeoutConfig", "sessionTimeoutConfig", "timezone", "language",
                                       "singlePromptConfig"]

    /// Every problem in `doc` (empty when valid).
    public static func validate(_ doc: ConfigDocument) -> [Issue] {
        var issues: [Issue] = []
        func add(_ p: String, _ m: String) { issues.append(Issue(path: p, message: m)) }
        let known = Set(ConfigMapping.requestFields)
        for (k, v) in doc.sorted(by: { $0.key < $1.key }) {
            guard known.contains(k) else {
                if k == "name" || k == "telephonyProductId" {
                    add(k, "not a draft config field; change it with `atoms-tui agents` (PATCH /agent/{id})")
                } else {
                    add(k, "unknown field")
                }
                continue
            }
            if booleans.contains(k), v.boolValue == nil { add(k, "must be a boolean (true/false), got \(v.typeName)") }
            if strings.contains(k), v.stringValue == nil { add(k, "must be a string, got \(v.typeName)") }
            if objects.contains(k), v.objectValue == nil { add(k, "must be a mapping, got \(v.typeName)") }
        }
        if let v = doc["firstMessage"] { checkString(v, "firstMessage", max: 500, add) }
        if let v = doc["globalPrompt"] { checkString(v, "globalPrompt", max: 4000, add) }
        if let v = doc["slmModel"] { checkEnum(v, "slmModel", slmModels, add) }
        if let v = doc["backgroundSound"] { checkEnum(v, "backgroundSound", backgroundSounds, add) }
        if let v = doc["workflowType"] { checkEnum(v, "workflowType", ["single_prompt", "workflow_graph"], add) }
        if let v = doc["interruptionBackoffTimer"] { checkNumber(v, "interruptionBackoffTimer", 0...10, add) }
        if let v = doc["pronunciationDicts"] {
            if let a = v.arrayValue {
                for (i, e) in a.enumerated() where e["word"]?.stringValue == nil || e["pronunciation"]?.stringValue == nil {
                    add("pronunciationDicts[\(i)]", "needs string fields \"word\" and \"pronunciation\"")
                }
            } else { add("pronunciationDicts", "must be a list, got \(v.typeName)") }
        }
        if let spc = doc["singlePromptConfig"]?.objectValue {
            for k in spc.keys where k != "prompt" && k != "tools" { add("singlePromptConfig.\(k)", "unknown field") }
            if let p = spc["prompt"], p.stringValue == nil { add("singlePromptConfig.prompt", "must be a string, got \(p.typeName)") }
            if let t = spc["tools"] {
                if let tools = t.arrayValue { validateTools(tools, add) } else { add("singlePromptConfig.tools", "must be a list, got \(t.typeName)") }
            }
        }
        if let lang = doc["language"]?.objectValue { validateLanguage(lang, add) }
        if let syn = doc["synthesizer"]?.objectValue {
            if let v = syn["speed"] { checkNumber(v, "synthesizer.speed", 0...2, add) }
            if let v = syn["consistency"] { checkNumber(v, "synthesizer.consistency", 0...1, add) }
            if let v = syn["similarity"] { checkNumber(v, "synthesizer.similarity", 0...1, add) }
            if let v = syn["enhancement"], ![0.0, 1, 2].contains(v.numberValue ?? -1) { add("synthesizer.enhancement", "must be 0, 1 or 2") }
            if let v = syn["sampleRate"], ![8000.0, 16000, 24000, 44100].contains(v.numberValue ?? -1) {
                add("synthesizer.sampleRate", "must be one of 8000, 16000, 24000, 44100")
            }
            if let vc = syn["voiceConfig"]?.objectValue, let m = vc["model"] {
                checkEnum(m, "synthesizer.voiceConfig.model", ["waves_lightning_v3_1", "gpt-realtime", "gpt-realtime-mini"], add)
            }
        }
        if let v = doc["voiceMailDetectionConfig"]?["endText"] { checkString(v, "voiceMailDetectionConfig.endText", max: 200, add) }
        if let v = doc["sessionTimeoutConfig"]?["timeoutTimeInSecs"] { checkNumber(v, "sessionTimeoutConfig.timeoutTimeInSecs", 0...3600, add) }
        if let idle = doc["llmIdleTimeoutConfig"]?.objectValue {
            for k in ["chatTimeoutTimeInSecs", "webcallTimeoutTimeInSecs", "telephonyTimeoutTimeInSecs"] {
                if let v = idle[k] { checkNumber(v, "llmIdleTimeoutConfig.\(k)", 1...300, add) }
            }
        }
        if let v = doc["smartTurnConfig"]?["waitTimeInSecs"] { checkNumber(v, "smartTurnConfig.waitTimeInSecs", 0...10, add) }
        return issues
    }

    static func validateLanguage(_ lang: [String: JSONValue], _ add: (String, String) -> Void) {
        for k in lang.keys where !["default", "supported", "switching"].contains(k) { add("language.\(k)", "unknown field") }
        if let d = lang["default"] { checkEnum(d, "language.default", languages, add) }
        var supported: [String] = []
        if let s = lang["supported"] {
            if let a = s.arrayValue {
                for (i, e) in a.enumerated() { checkEnum(e, "language.supported[\(i)]", languages, add) }
                supported = a.compactMap(\.stringValue)
            } else { add("language.supported", "must be a list, got \(s.typeName)") }
        }
        if let d = lang["default"]?.stringValue, lang["supported"] != nil, !supported.contains(d) {
            add("language.default", "\"\(d)\" must be one of language.supported (\(supported.joined(separator: ", ")))")
        }
        if supported.contains("ta") && supported.count > 1 { add("language.supported", "\"ta\" cannot be combined with other languages") }
        guard let sw = lang["switching"] else {
            add("language.switching", "required when \"language\" is given (even {isEnabled: false})")
            return
        }
        guard let o = sw.objectValue else { add("language.switching", "must be a mapping"); return }
        if let v = o["isEnabled"], v.boolValue == nil { add("language.switching.isEnabled", "must be a boolean") }
        if let v = o["minWordsForDetection"] { checkNumber(v, "language.switching.minWordsForDetection", 1...10, add) }
        if let v = o["strongSignalThreshold"] { checkNumber(v, "language.switching.strongSignalThreshold", 0.1...0.9, add) }
        if let v = o["weakSignalThreshold"] { checkNumber(v, "language.switching.weakSignalThreshold", 0.1...0.9, add) }
        if let v = o["minConsecutiveForWeakThresholdSwitch"] { checkNumber(v, "language.switching.minConsecutiveForWeakThresholdSwitch", 1...5, add) }
    }

    static func validateTools(_ tools: [JSONValue], _ add: (String, String) -> Void) {
        for (i, t) in tools.enumerated() {
            let p = "singlePromptConfig.tools[\(i)]"
            guard let o = t.objectValue else { add(p, "must be a mapping"); continue }
            for req in ["type", "name", "description"] where o[req]?.stringValue == nil { add("\(p).\(req)", "required string") }
            if let ty = o["type"] { checkEnum(ty, "\(p).type", toolTypes, add) }
            if let e = o["enabled"], e.boolValue == nil { add("\(p).enabled", "must be a boolean") }
            if o["type"]?.stringValue == "api_call", let v = o["timeout"] { checkNumber(v, "\(p).timeout", 1000...30000, add) }
            if o["type"]?.stringValue == "transfer_call", let v = o["detectionTimeout"] { checkNumber(v, "\(p).detectionTimeout", 5...60, add) }
        }
    }

    static func checkString(_ v: JSONValue, _ p: String, max: Int, _ add: (String, String) -> Void) {
        guard let s = v.stringValue else { add(p, "must be a string, got \(v.typeName)"); return }
        if s.count > max { add(p, "is \(s.count) characters; the limit is \(max)") }
    }

    static func checkNumber(_ v: JSONValue, _ p: String, _ range: ClosedRange<Double>, _ add: (String, String) -> Void) {
        guard let d = v.numberValue else { add(p, "must be a number, got \(v.typeName)"); return }
        if !range.contains(d) { add(p, "\(d) is out of range \(range.lowerBound)…\(range.upperBound)") }
    }

    static func checkEnum(_ v: JSONValue, _ p: String, _ allowed: Set<String>, _ add: (String, String) -> Void) {
        guard let s = v.stringValue else { add(p, "must be a string, got \(v.typeName)"); return }
        if !allowed.contains(s) { add(p, "\"\(s)\" is not one of \(allowed.sorted().map { $0.isEmpty ? "\"\"" : $0 }.joined(separator: ", "))") }
    }
}
