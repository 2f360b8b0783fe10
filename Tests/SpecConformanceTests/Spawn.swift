import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program with posix_spawn (never Foundation.Process), stdout and stderr together in a
/// private temp file, and waits for it with a deadline.
enum Spawn {
    struct Result {
        var code: Int32
        var output: String
    }

    /// `executable` is looked up on PATH when it has no slash.
    static func run(_ executable: String, _ args: [String], environment: [String: String] = [:],
                    timeout: TimeInterval) throws -> Result {
        let path = executable.contains("/") ? executable : which(executable) ?? executable
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atoms-spec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("output").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        let argv = ([path] + args).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard rc == 0 else {
            throw NSError(domain: "spawn", code: Int(rc),
                          userInfo: [NSLocalizedDescriptionKey: "cannot run \(path): \(String(cString: strerror(rc)))"])
        }
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        var code: Int32 = -1
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid {
                code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : -(status & 0x7f)
                break
            }
            if Date() > deadline {
                kill(pid, SIGTERM)
                usleep(500_000)
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
                return Result(code: -9, output: text + "\n(killed after \(Int(timeout)) s)")
            }
            usleep(20_000)
        }
        return Result(code: code, output: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "")
    }

    static func which(_ name: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
