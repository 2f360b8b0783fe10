import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NIOCore

/// Glue between Hummingbird and `SimulatorAPI`: one responder for every method and path.
enum HTTPServer {
    /// The largest request body accepted.
    static let maxBody = 8 * 1024 * 1024

    /// How much of a too-large body is read and dropped before answering 413 (so the client, still sending,
    /// reads the answer instead of a reset connection); past it the connection is left to close.
    static let maxDrained = 8 * maxBody

    /// The request body, or nil when it is larger than `maxBody` (the rest is drained, up to `maxDrained`).
    /// A body cut short by the client is what arrived.
    static func collectBody(_ body: RequestBody) async -> ByteBuffer? {
        var buffer = ByteBuffer()
        var seen = 0
        do {
            for try await chunk in body {
                seen += chunk.readableBytes
                if seen > maxBody {
                    buffer = ByteBuffer()
                    if seen > maxDrained { break }
                    continue
                }
                var c = chunk
                buffer.writeBuffer(&c)
            }
        } catch {}
        return seen > maxBody ? nil : buffer
    }

    static func responder(_ api: SimulatorAPI) -> CallbackResponder<BasicRequestContext> {
        CallbackResponder { request, _ in
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let answer: SimResponse
            if let body = await collectBody(request.body) {
                answer = api.handle(SimRequest(
                    method: request.method.rawValue, path: request.uri.path, query: request.uri.query,
                    headers: headers, body: Data(body.readableBytesView)))
            } else {
                // Express's body-parser refuses before any route or auth runs.
                answer = api.handleTooLarge()
            }
            let latency = api.store.options.latencyMilliseconds + answer.delayMilliseconds
            if latency > 0 { try? await Task.sleep(nanoseconds: UInt64(latency) * 1_000_000) }
            var fields = HTTPFields()
            for (name, value) in answer.headers {
                if let n = HTTPField.Name(name) { fields.append(HTTPField(name: n, value: value)) }
            }
            if answer.dropConnection {
                // Fault injection: start an answer, then fail it so the server closes the connection
                // and the client sees no complete response.
                return Response(status: .ok, headers: fields, body: ResponseBody { _ in throw DroppedConnection() })
            }
            if request.method == .head {
                // HEAD: the GET's status and headers (its Content-Length too), no body — as Express answers.
                fields[.contentLength] = String(answer.body.count)
                return Response(status: .init(code: answer.status), headers: fields, body: ResponseBody())
            }
            return Response(status: .init(code: answer.status), headers: fields,
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
    }

    /// Thrown by a response body to drop the connection (fault injection).
    struct DroppedConnection: Error {}

    /// A quiet logger: the simulator runs under a curses screen during the demo.
    static func logger() -> Logger {
        var logger = Logger(label: "atoms-simulator")
        logger.logLevel = .warning
        return logger
    }

    static func application(
        _ api: SimulatorAPI, host: String, port: Int,
        onRunning: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        Application(
            responder: responder(api),
            configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger())
    }
}
