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
    /// False for requests that must never be sent twice (non-idempotent writes): they go on a
    /// connection of their own that is closed after the answer, because libcurl silently resends a
    /// request whose reused keep-alive connection turns out to be dead.
    public var reuseConnection = true
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
    /// The configuration of the session each write gets (see `HTTPRequest.reuseConnection`).
    let writeConfiguration: URLSessionConfiguration
    /// One router per session: task identifiers are only unique within a session.
    let router = CollectorRouter()
    /// Largest response body accepted (bytes); larger answers fail cleanly.
    public let maxBodyBytes: Int

    /// Builds a transport with its own ephemeral session.
    public init(maxBodyBytes: Int = 50 * 1024 * 1024) {
        let cfg = URLSessionConfiguration.ephemeral
        cfg.httpCookieStorage = nil
        cfg.urlCache = nil
        cfg.requestCachePolicy = .reloadIgnoringLocalCacheData
        self.session = URLSession(configuration: cfg, delegate: router, delegateQueue: nil)
        self.writeConfiguration = cfg
        self.maxBodyBytes = maxBodyBytes
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var req = URLRequest(url: request.url)
        req.httpMethod = request.method
        req.timeoutInterval = request.timeout
        for (k, v) in request.headers { req.setValue(v, forHTTPHeaderField: k) }
        if !request.reuseConnection { req.setValue("close", forHTTPHeaderField: "Connection") }
        req.httpBody = request.body
        do {
            // The body is collected by a delegate that gives up as soon as it passes the cap (or the
            // declared Content-Length does), so a huge answer costs at most `maxBodyBytes` of memory.
            let collector = CappedBodyCollector(cap: maxBodyBytes)
            // A write gets a session (and so a connection pool and libcurl multi handle) of its own,
            // invalidated after its answer: on a shared write session an answer was sometimes never
            // delivered (seen as intermittent write time-outs), and a write must never be resent.
            let (taskSession, taskRouter): (URLSession, CollectorRouter)
            if request.reuseConnection {
                (taskSession, taskRouter) = (session, router)
            } else {
                let own = CollectorRouter()
                (taskSession, taskRouter) = (URLSession(configuration: writeConfiguration, delegate: own, delegateQueue: nil), own)
            }
            defer { if !request.reuseConnection { taskSession.finishTasksAndInvalidate() } }
            let task = taskSession.dataTask(with: req)
            taskRouter.register(collector, for: task.taskIdentifier)
            defer { taskRouter.remove(task.taskIdentifier) }
            let (data, response) = try await collector.run(task)
            guard let http = response as? HTTPURLResponse else { throw TransportFailure.network("not an HTTP response") }
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

/// The one session's delegate: hands each task's events to that task's collector.
final class CollectorRouter: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let lock = NSLock()
    private var collectors: [Int: CappedBodyCollector] = [:]

    func register(_ c: CappedBodyCollector, for id: Int) {
        lock.lock()
        collectors[id] = c
        lock.unlock()
    }

    func remove(_ id: Int) {
        lock.lock()
        collectors[id] = nil
        lock.unlock()
    }

    private func collector(_ id: Int) -> CappedBodyCollector? {
        lock.lock()
        defer { lock.unlock() }
        return collectors[id]
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        guard let c = collector(dataTask.taskIdentifier) else { return completionHandler(.cancel) }
        c.urlSession(session, dataTask: dataTask, didReceive: response, completionHandler: completionHandler)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        collector(dataTask.taskIdentifier)?.urlSession(session, dataTask: dataTask, didReceive: data)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        collector(task.taskIdentifier)?.urlSession(session, task: task, didCompleteWithError: error)
    }
}

/// Collects one data task's body up to a cap; past it the task is cancelled and the request fails
/// with `TransportFailure.bodyTooLarge`.
final class CappedBodyCollector: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let cap: Int
    private let lock = NSLock()
    private var body = Data()
    private var response: URLResponse?
    private var tooLarge: Int?
    private var continuation: CheckedContinuation<(Data, URLResponse), Error>?

    init(cap: Int) { self.cap = cap }

    func run(_ task: URLSessionDataTask) async throws -> (Data, URLResponse) {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { c in
                lock.lock()
                continuation = c
                lock.unlock()
                task.resume()
            }
        } onCancel: {
            task.cancel()
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        lock.lock()
        self.response = response
        let declared = response.expectedContentLength
        if declared > Int64(cap) { tooLarge = Int(declared) }
        lock.unlock()
        completionHandler(declared > Int64(cap) ? .cancel : .allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.lock()
        if tooLarge == nil, body.count + data.count > cap {
            tooLarge = body.count + data.count
            body = Data()
            lock.unlock()
            dataTask.cancel()
            return
        }
        if tooLarge == nil { body.append(data) }
        lock.unlock()
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        lock.lock()
        let c = continuation
        continuation = nil
        let result: Result<(Data, URLResponse), Error>
        if let n = tooLarge {
            result = .failure(TransportFailure.bodyTooLarge(n))
        } else if let error {
            result = .failure(error)
        } else if let response {
            result = .success((body, response))
        } else {
            result = .failure(TransportFailure.network("no response"))
        }
        lock.unlock()
        c?.resume(with: result)
    }

}
