import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NIOCore

/// Glue between Hummingbird and `SimulatorAPI`: one responder for every method and path.
enum HTTPServer {
    /// The largest request body accepted.
    static let maxBody = 8 * 1024 * 1024

    static func responder(_ api: SimulatorAPI) -> CallbackResponder<BasicRequestContext> {
        CallbackResponder { request, _ in
            let body = (try? await request.body.collect(upTo: maxBody)) ?? ByteBuffer()
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let simRequest = SimRequest(
                method: request.method.rawValue, path: request.uri.path, query: request.uri.query,
                headers: headers, body: Data(body.readableBytesView))
            let answer = api.handle(simRequest)
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
