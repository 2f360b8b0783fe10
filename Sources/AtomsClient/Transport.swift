import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP exchange, transport-neutral.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: URL
    public var headers: [String: String]
    public var body: Data?
    public var timeout: TimeInterval
    /// Builds a request.
    public init(method: String, url: URL, headers: [String: String] = [:], body: Data? = nil, timeout: TimeInterval = 30) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// An HTTP answer.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data
    /// Builds a response.
    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
    /// Case-insensitive header lookup.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.key.lowercased() == lower }?.value
    }
}

/// What sends requests. The live one is `URLSessionTransport`; tests may inject others.
public protocol HTTPTransport: Sendable {
    /// Sends one request; throws only when no HTTP answer arrived.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

/// Transport failures that are not HTTP answers.
public enum TransportFailure: Error, Sendable {
    case timedOut
    case network(String)
    case bodyTooLarge(Int)
}

/// The live transport: URLSession from FoundationNetworking.
public final class URLSessionTransport: HTTPTransport {
    let session: URLSession
    /// Largest response body accepted (bytes); larger answers fail cleanly.
    public let maxBodyBytes: Int

    /// Builds a transport with its own ephemeral session.
    public init(maxBodyBytes: Int = 50 * 1024 * 1024) {
        let cfg = URLSessionConfiguration.ephemeral
        cfg.httpCookieStorage = nil
        cfg.urlCache = nil
        cfg.requestCachePolicy = .reloadIgnoringLocalCacheData
        self.session = URLSession(configuration: cfg)
        self.maxBodyBytes = maxBodyBytes
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var req = URLRequest(url: request.url)
        req.httpMethod = request.method
        req.timeoutInterval = request.timeout
        for (k, v) in request.headers { req.setValue(v, forHTTPHeaderField: k) }
        req.httpBody = request.body
        do {
            let (data, response) = try await session.data(for: req)
            guard let http = response as? HTTPURLResponse else { throw TransportFailure.network("not an HTTP response") }
            if data.count > maxBodyBytes { throw TransportFailure.bodyTooLarge(data.count) }
            var headers: [String: String] = [:]
            for (k, v) in http.allHeaderFields {
                if let k = k as? String, let v = v as? String { headers[k] = v }
            }
            return HTTPResponse(status: http.statusCode, headers: headers, body: data)
        } catch let e as TransportFailure {
            throw e
        } catch let e as URLError where e.code == .timedOut {
            throw TransportFailure.timedOut
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            let ns = error as NSError
            if ns.code == NSURLErrorTimedOut { throw TransportFailure.timedOut }
            if ns.code == NSURLErrorCancelled { throw CancellationError() }
            throw TransportFailure.network(ns.localizedDescription)
        }
    }
}
