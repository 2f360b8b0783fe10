import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 that answers each request with raw bytes chosen by path —
/// for answers no real server would give: truncated JSON, wrong types, HTML, invalid UTF-8, 60 MB.
/// One thread per connection; `Connection: close` after every answer.
final class StubHTTPServer: @unchecked Sendable {
    /// A canned answer.
    struct Answer {
        var status = 200
        var contentType = "application/json; charset=utf-8"
        var body: Data
        /// Send the headers with this Content-Length but close after `body` (a truncated transfer).
        var declaredLength: Int?
        /// Stream this many filler bytes after `body` (a huge body without holding it in memory).
        var streamedFiller = 0
    }

    let port: Int
    private let fd: Int32
    private let route: @Sendable (String, String) -> Answer
    private let stopped = NSLock()
    private var isStopped = false
    /// Request lines whose head arrived (keep-alive mode), body or not.
    private(set) var heads: [String] = []
    /// Requests seen, as `METHOD PATH`.
    private(set) var requests: [String] = []

    var baseURL: String { "http://127.0.0.1:\(port)/atoms/v1" }

    init(_ route: @escaping @Sendable (_ method: String, _ path: String) -> Answer) throws {
        self.route = route
        let sock = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(sock, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(sock, 16) == 0 else { throw NSError(domain: "stub", code: Int(errno)) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(sock, $0, &len) } }
        fd = sock
        port = Int(UInt16(bigEndian: addr.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    func stop() {
        stopped.lock()
        isStopped = true
        stopped.unlock()
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    private func acceptLoop() {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                stopped.lock()
                let done = isStopped
                stopped.unlock()
                if done { return }
                continue
            }
            Thread { [self] in serve(client) }.start()
        }
    }

    /// Keep connections open between answers (HTTP/1.1 keep-alive) until `route` returns an answer
    /// with status 0, which closes the connection without a byte of answer after reading the request.
    var keepAlive = false

    private func serve(_ client: Int32) {
        defer { close(client) }
        if keepAlive { return serveKeepAlive(client) }
        var head = Data()
        var buf = [UInt8](repeating: 0, count: 4096)
        while !head.contains(Data("\r\n\r\n".utf8)) {
            let n = read(client, &buf, buf.count)
            if n <= 0 { return }
            head.append(buf, count: n)
            if head.count > 65536 { return }
        }
        let line = String(decoding: head.prefix { $0 != 0x0d }, as: UTF8.self).split(separator: " ")
        guard line.count >= 2 else { return }
        let method = String(line[0])
        let path = String(String(line[1]).split(separator: "?", maxSplits: 1)[0])
        stopped.lock()
        requests.append("\(method) \(path)")
        stopped.unlock()
        let a = route(method, path)
        let length = a.declaredLength ?? (a.body.count + a.streamedFiller)
        let header = "HTTP/1.1 \(a.status) X\r\nContent-Type: \(a.contentType)\r\nContent-Length: \(length)\r\nConnection: close\r\n\r\n"
        guard writeAll(client, Data(header.utf8)), writeAll(client, a.body) else { return }
        if a.streamedFiller > 0 {
            let chunk = Data(repeating: 0x20, count: 1 << 16)
            var left = a.streamedFiller
            while left > 0 {
                let piece = min(left, chunk.count)
                if !writeAll(client, chunk.prefix(piece)) { return }   // the client hung up: fine
                left -= piece
            }
        }
    }

    private func serveKeepAlive(_ client: Int32) {
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            // One request: head, then Content-Length bytes of body.
            let separator = Data("\r\n\r\n".utf8)
            var headEnd = buffer.range(of: separator)
            while headEnd == nil {
                let n = read(client, &chunk, chunk.count)
                if n <= 0 { return }
                buffer.append(chunk, count: n)
                headEnd = buffer.range(of: separator)
            }
            guard let end = headEnd else { return }
            let head = String(decoding: buffer[buffer.startIndex..<end.lowerBound], as: UTF8.self)
            stopped.lock()
            heads.append(String(head.prefix { $0 != "\r" }))
            stopped.unlock()
            let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            while buffer.count - (end.upperBound - buffer.startIndex) < length {
                let n = read(client, &chunk, chunk.count)
                if n <= 0 { return }
                buffer.append(chunk, count: n)
            }
            buffer = Data(buffer[(end.upperBound + length)...])
            let line = head.split(separator: "\r\n").first?.split(separator: " ") ?? []
            guard line.count >= 2 else { return }
            let method = String(line[0]), path = String(String(line[1]).split(separator: "?", maxSplits: 1)[0])
            stopped.lock()
            requests.append("\(method) \(path)")
            stopped.unlock()
            let a = route(method, path)
            if a.status == 0 { usleep(UInt32(a.declaredLength ?? 0) * 1000); return }   // drop the connection (after declaredLength ms), no answer
            let header = "HTTP/1.1 \(a.status) X\r\nContent-Type: \(a.contentType)\r\nContent-Length: \(a.body.count)\r\n\r\n"
            guard writeAll(client, Data(header.utf8)), writeAll(client, a.body) else { return }
        }
    }

    private func writeAll(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw -> Bool in
            var off = 0
            while off < raw.count {
                let n = send(fd, raw.baseAddress! + off, raw.count - off, Int32(MSG_NOSIGNAL))
                if n <= 0 { return false }
                off += n
            }
            return true
        }
    }
}
