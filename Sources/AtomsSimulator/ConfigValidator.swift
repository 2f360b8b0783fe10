import Foundation
import AtomsModels

/// Validates config documents against the spec (`DraftConfigRequest`, `CreateAgentRequest`):
/// types, enums, ranges and lengths. Messages follow the backend's zod style (`path: message`).
enum ConfigValidator {
    /// A small schema language, enough for the spec's config shapes.
    indirect enum Schema: Sendable {
        case string(max: Int? = nil, pattern: String? = nil)
        case number(min: Double? = nil, max: Double? = nil, integer: Bool = false)
        case numberIn([Double])
        case bool
        case oneOf([String])
        case object([String: Schema], required: [String] = [])
        case anyObject
        case array(Schema)
    }

    static let languages = ["en", "hi", "mr", "gu", "ta", "es", "north_indic", "bn", "or"]
    static let slmModels = ["electron", "electron-kogta", "electron-kogta-v2", "gpt-4o", "gpt-4.1", "gpt-5.2",
                            "gpt-realtime", "gpt-realtime-mini"]
    static let backgroundSounds = ["", "office", "cafe", "call_center", "static"]
    static let toolTypes = ["end_call", "transfer_call", "api_call", "extract_dynamic_variables", "knowledge_base_search"]

    static let languageSchema: Schema = .object([
        "default": .oneOf(languages),
        "supported": .array(.oneOf(languages)),
        "switching": .object([
            "isEnabled": .bool,
            "minWordsForDetection": .number(min: 1, max: 10),
            "strongSignalThreshold": .number(min: 0.1, max: 0.9),
            "weakSignalThreshold": .number(min: 0.1, max: 0.9),
            "minConsecutiveForWeakThresholdSwitch": .number(min: 1, max: 5),
        ]),
    ])

    static let toolSchema: Schema = .object([
        "type": .oneOf(toolTypes), "name": .string(), "description": .string(), "enabled": .bool,
        "transferNumber": .string(), "onHoldMusic": .oneOf(["ringtone", "relaxing_sound", "uplifting_beats", "none"]),
        "transferOnlyIfHuman": .bool, "detectionTimeout": .number(min: 5, max: 60),
        "url": .string(), "method": .string(), "timeout": .number(min: 1000, max: 30000), "headers": .anyObject,
        "knowledgeBaseId": .string(), "fillerPhrases": .array(.string()),
    ], required: ["type", "name", "description"])

    /// Field → schema for every `DraftConfigRequest` field.
    static let fields: [String: Schema] = [
        "singlePromptConfig": .object(["prompt": .string(), "tools": .array(toolSchema)]),
        "postCallAnalyticsConfig": .object([
            "dispositionMetrics": .array(.object([
                "identifier": .string(pattern: "^[a-z0-9_]+$"),
                "dispositionMetricPrompt": .string(),
                "dispositionMetricType": .oneOf(["STRING", "BOOLEAN", "INTEGER", "ENUM", "DATETIME"]),
                "choices": .array(.string()),
            ], required: ["identifier", "dispositionMetricPrompt", "dispositionMetricType"])),
            "summaryPrompt": .string(),
            "useInternalAnalyticsModel": .bool,
            "useReasoningModel": .bool,
        ]),
        "language": languageSchema,
        "synthesizer": .object([
            "voiceConfig": .object([
                "model": .oneOf(["waves_lightning_v3_1", "gpt-realtime", "gpt-realtime-mini"]),
                "voiceId": .string(), "gender": .oneOf(["male", "female"]),
            ]),
            "speed": .number(min: 0, max: 2), "consistency": .number(min: 0, max: 1),
            "similarity": .number(min: 0, max: 1), "enhancement": .numberIn([0, 1, 2]),
            "sampleRate": .numberIn([8000, 16000, 24000, 44100]),
        ]),
        "slmModel": .oneOf(slmModels),
        "transcriberType": .string(),
        "customLLMWebSocketUrl": .string(),
        "widgetConfig": .anyObject,
        "defaultVariables": .anyObject,
        "preCallAPI": .object([
            "isEnabled": .bool, "url": .string(), "method": .oneOf(["GET", "POST", "PUT", "DELETE", "PATCH"]),
            "headers": .anyObject, "body": .anyObject, "timeout": .number(min: 1, max: 30, integer: true),
            "queryParams": .anyObject,
            "responseVariables": .array(.object(["variableName": .string(), "jsonPath": .string()],
                                                required: ["variableName", "jsonPath"])),
        ]),
        "globalPrompt": .string(max: 4000),
        "globalKnowledgeBaseId": .string(),
        "firstMessage": .string(max: 500),
        "allowInterruptions": .bool,
        "waitForUserToSpeakFirst": .bool,
        "muteUserUntilFirstBotResponse": .bool,
        "interruptionBackoffTimer": .number(min: 0, max: 10),
        "backgroundSound": .oneOf(backgroundSounds),
        "smartTurnConfig": .object(["isEnabled": .bool, "waitTimeInSecs": .number(min: 0, max: 10)]),
        "voiceDetectionConfig": .object([
            "confidence": .number(min: 0, max: 1), "minVolume": .number(min: 0, max: 1),
            "triggerTimeInSecs": .number(min: 0, max: 10), "releaseTimeInSecs": .number(min: 0, max: 10),
        ]),
        "voiceMailDetectionConfig": .object(["enabled": .bool, "endText": .string(max: 200)]),
        "denoisingConfig": .object(["isEnabled": .bool]),
        "redactionConfig": .object(["isEnabled": .bool]),
        "pronunciationDicts": .array(.object(["word": .string(), "pronunciation": .string()],
                                             required: ["word", "pronunciation"])),
        "llmIdleTimeoutConfig": .object([
            "chatTimeoutTimeInSecs": .number(min: 1, max: 300), "webcallTimeoutTimeInSecs": .number(min: 1, max: 300),
            "telephonyTimeoutTimeInSecs": .number(min: 1, max: 300), "maxRetries": .number(min: 0),
        ]),
        "sessionTimeoutConfig": .object(["timeoutTimeInSecs": .number(min: 0, max: 3600)]),
        "workflowType": .oneOf(["workflow_graph", "single_prompt", "multi_agents"]),
        // Playbooks (`multi_agents` agents): `{playbooks: [...]}`, shown at `_resolvedConfig.playbooks.playbooks`.
        "playbooks": .object(["playbooks": .array(.anyObject)]),
        "timezone": .object(["label": .string(), "offset": .number()]),
        "callDispositionConfig": .string(),
        "enableStyleGuide": .bool,
        "speechFormatting": .bool,
    ]

    /// Metadata fields of `PATCH /agent/{id}` (`UpdateAgentRequest`).
    static let metadataFields: [String: Schema] = [
        "name": .string(max: 200), "description": .string(), "avatarUrl": .string(),
        "telephonyProductId": .array(.string()), "allowInboundCall": .bool, "visibleToEveryone": .bool,
    ]

    /// Checks one value against a schema, appending messages to `errors`.
    static func check(_ value: JSONValue, _ schema: Schema, path: String, into errors: inout [String]) {
        func typeError(_ expected: String) { errors.append("\(path): Expected \(expected), received \(value.typeName)") }
        switch schema {
        case .string(let max, let pattern):
            guard let s = value.stringValue else { return typeError("string") }
            if let max, s.count > max { errors.append("\(path): String must contain at most \(max) character(s)") }
            if let pattern, s.range(of: pattern, options: .regularExpression) == nil {
                errors.append("\(path): Invalid")
            }
        case .number(let min, let max, let integer):
            guard let d = value.numberValue else { return typeError("number") }
            if integer, d.rounded() != d { errors.append("\(path): Expected integer, received float") }
            if let min, d < min { errors.append("\(path): Number must be greater than or equal to \(fmt(min))") }
            if let max, d > max { errors.append("\(path): Number must be less than or equal to \(fmt(max))") }
        case .numberIn(let allowed):
            guard let d = value.numberValue else { return typeError("number") }
            if !allowed.contains(d) {
                errors.append("\(path): Invalid enum value. Expected \(allowed.map(fmt).joined(separator: " | ")), received \(fmt(d))")
            }
        case .bool:
            if value.boolValue == nil { typeError("boolean") }
        case .oneOf(let allowed):
            guard let s = value.stringValue else { return typeError("string") }
            if !allowed.contains(s) {
                errors.append("\(path): Invalid enum value. Expected \(allowed.map { "'\($0)'" }.joined(separator: " | ")), received '\(s)'")
            }
        case .object(let props, let required):
            guard let o = value.objectValue else { return typeError("object") }
            for r in required where o[r] == nil { errors.append("\(path).\(r): Required") }
            for (k, v) in o.sorted(by: { $0.key < $1.key }) {
                if let s = props[k] { check(v, s, path: "\(path).\(k)", into: &errors) }
            }
        case .anyObject:
            if value.objectValue == nil { typeError("object") }
        case .array(let item):
            guard let a = value.arrayValue else { return typeError("array") }
            for (i, v) in a.enumerated() { check(v, item, path: "\(path)[\(i)]", into: &errors) }
        }
    }

    static func fmt(_ d: Double) -> String {
        if let i = JSONValue.exactInteger(d) { return String(i) }
        return String(d)
    }

    /// Validates the known config fields of `doc` (unknown fields are the caller's business).
    static func validateConfigFields(_ doc: ConfigDocument) -> [String] {
        var errors: [String] = []
        for (k, v) in doc.sorted(by: { $0.key < $1.key }) {
            if let s = fields[k] { check(v, s, path: k, into: &errors) }
        }
        if let dm = doc["postCallAnalyticsConfig"]?["dispositionMetrics"]?.arrayValue {
            for (i, m) in dm.enumerated() where m["dispositionMetricType"]?.stringValue == "ENUM" && m["choices"] == nil {
                errors.append("postCallAnalyticsConfig.dispositionMetrics[\(i)].choices: Required")
            }
        }
        return errors
    }

    /// Cross-field rules of `language` on a complete config: `default` ∈ `supported`; `ta` alone.
    static func validateLanguageRules(_ config: ConfigDocument) -> [String] {
        guard let lang = config["language"]?.objectValue else { return [] }
        var errors: [String] = []
        let supported = lang["supported"]?.arrayValue?.compactMap(\.stringValue)
        if let d = lang["default"]?.stringValue, let supported, !supported.contains(d) {
            errors.append("language.default: Default language must be one of the supported languages")
        }
        if let supported, supported.contains("ta"), supported.count > 1 {
            errors.append("language.supported: Tamil (ta) cannot be combined with other languages")
        }
        return errors
    }
}
