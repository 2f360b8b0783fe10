import Foundation
import Yams

/// One named profile of the config file.
public struct Profile: Codable, Sendable, Equatable {
    public var apiKey: String?
    public var baseURL: String?
    /// The account's request rate (10 on Free, 100 on Pro); unset: adaptive (see `RateLimiter`).
    public var requestsPerSecond: Double?
    /// Builds a profile.
    public init(apiKey: String? = nil, baseURL: String? = nil, requestsPerSecond: Double? = nil) {
        self.apiKey = apiKey
        self.baseURL = baseURL
        self.requestsPerSecond = requestsPerSecond
    }
}

/// `config.yaml` in the config directory:
/// ```yaml
/// defaultProfile: prod
/// profiles:
///   prod:
///     apiKey: sk_...
///     baseURL: https://api.smallest.ai/atoms/v1
/// ```
/// A file that holds a key must not be readable by group or others: it is refused with a message.
public struct ConfigFile: Codable, Sendable, Equatable {
    public var defaultProfile: String?
    public var profiles: [String: Profile]
    /// Editor document format: `yaml` (default) or `json`.
    public var editFormat: String?
    /// The TUI takes the mouse (default true; `--no-mouse` overrides).
    public var mouse: Bool?
    /// Seconds between the TUI's background refreshes (default 30, at least 5; 0 turns it off; `--no-watch` overrides).
    public var watchSeconds: Double?

    /// The TUI's refresh interval from `watchSeconds`: nil when off, never under 5 s.
    public var watchInterval: Double? {
        guard let s = watchSeconds else { return 30 }
        return s <= 0 ? nil : max(5, s)
    }

    /// Builds a config.
    public init(defaultProfile: String? = nil, profiles: [String: Profile] = [:], editFormat: String? = nil) {
        self.defaultProfile = defaultProfile
        self.profiles = profiles
        self.editFormat = editFormat
    }

    /// Decodes a config; every key is optional (a file with only `mouse: false` is a config too).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        defaultProfile = try c.decodeIfPresent(String.self, forKey: .defaultProfile)
        profiles = try c.decodeIfPresent([String: Profile].self, forKey: .profiles) ?? [:]
        editFormat = try c.decodeIfPresent(String.self, forKey: .editFormat)
        mouse = try c.decodeIfPresent(Bool.self, forKey: .mouse)
        watchSeconds = try c.decodeIfPresent(Double.self, forKey: .watchSeconds)
    }

    /// Reads the file; a missing file is an empty config.
    public static func load(from url: URL) throws -> ConfigFile {
        guard FileManager.default.fileExists(atPath: url.path) else { return ConfigFile() }
        let text = try String(contentsOf: url, encoding: .utf8)
        let config: ConfigFile
        do {
            config = try YAMLDecoder().decode(ConfigFile.self, from: text.isEmpty ? "profiles: {}" : text)
        } catch {
            throw AtomsError(kind: .invalidInput, serverErrors: ["\(url.path) is not a valid config file: \(error)"])
        }
        if config.profiles.values.contains(where: { $0.apiKey != nil }) {
            var st = stat()
            if stat(url.path, &st) == 0, st.st_mode & 0o077 != 0 {
                throw AtomsError(kind: .invalidInput, serverErrors: [
                    "\(url.path) holds an API key but is readable by others (mode \(String(st.st_mode & 0o777, radix: 8)))",
                ], hint: "run: chmod 600 \(url.path)")
            }
        }
        return config
    }

    /// Writes the file with mode 0600.
    public func save(to url: URL) throws {
        let text = try YAMLEncoder().encode(self)
        try AppPaths.writePrivate(Data(text.utf8), to: url)
    }
}

/// Where the key and base URL came from, after flags, environment and profile are combined.
public struct ResolvedConnection: Sendable {
    /// The key, or nil when none is configured (the TUI then runs the demo).
    public var apiKey: String?
    public var baseURL: URL
    /// `flag`, `env`, `profile NAME`, or `default`.
    public var source: String
    /// The profile name used, if any.
    public var profileName: String?
    /// The request rate: `ATOMS_REQUESTS_PER_SECOND`, else the profile's `requestsPerSecond`; nil: adaptive.
    public var requestsPerSecond: Double? = nil
}

/// Combines `--api-key`/`--base-url`/`--profile` with `SMALLEST_API_KEY`/`ATOMS_BASE_URL` and config.yaml.
/// Precedence: flag, then environment, then the profile, then the default base URL.
public enum ConnectionResolver {
    /// Resolves a connection; `insecure` allows plain http to non-loopback hosts.
    public static func resolve(apiKeyFlag: String?, baseURLFlag: String?, profileFlag: String?, insecure: Bool,
                               environment: [String: String] = ProcessInfo.processInfo.environment,
                               paths: AppPaths = AppPaths()) throws -> ResolvedConnection {
        let file = try ConfigFile.load(from: paths.config.appendingPathComponent("config.yaml"))
        let profileName = profileFlag ?? environment["ATOMS_PROFILE"] ?? file.defaultProfile
        var profile: Profile?
        if let name = profileName {
            profile = file.profiles[name]
            if profile == nil && profileFlag != nil {
                let known = file.profiles.keys.sorted().joined(separator: ", ")
                throw AtomsError(kind: .invalidInput, serverErrors: ["no profile \"\(name)\" in \(paths.config.path)/config.yaml"],
                                 hint: known.isEmpty ? "the file has no profiles" : "known profiles: \(known)")
            }
        }
        var key: String?
        var source = "default"
        if let k = apiKeyFlag, !k.isEmpty { key = k; source = "flag" }
        else if let k = environment["SMALLEST_API_KEY"], !k.isEmpty { key = k; source = "env" }
        else if let k = profile?.apiKey, !k.isEmpty { key = k; source = "profile \(profileName ?? "")" }
        let urlText = baseURLFlag ?? environment["ATOMS_BASE_URL"] ?? profile?.baseURL ?? ClientConfiguration.defaultBaseURL.absoluteString
        guard let url = URL(string: urlText) else {
            throw AtomsError(kind: .invalidInput, serverErrors: ["base URL \"\(urlText)\" is not a URL"])
        }
        try ClientConfiguration.checkBaseURL(url, insecure: insecure)
        var rate = profile?.requestsPerSecond
        if let text = environment["ATOMS_REQUESTS_PER_SECOND"], !text.isEmpty {
            guard let r = Double(text), r >= 1 else {
                throw AtomsError(kind: .invalidInput, serverErrors: ["ATOMS_REQUESTS_PER_SECOND '\(text)' is not a rate of at least 1"])
            }
            rate = r
        }
        return ResolvedConnection(apiKey: key, baseURL: url, source: source, profileName: profile == nil ? nil : profileName,
                                  requestsPerSecond: rate)
    }
}
