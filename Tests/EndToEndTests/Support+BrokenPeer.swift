import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// (The same peer as HomeshoreClientTests/BrokenPeer.swift; test targets share no code.)
/// A real TCP listener on 127.0.0.1 that plays a hub on a bad line, one way per connection:
/// it takes the client's first TLS bytes (the ClientHello) and then closes, resets, answers
/// garbage, or relays to a real hub and cuts the answer after a number of bytes.
final class BrokenPeer: @unchecked Sendable {
    enum Behaviour: Sendable {
        /// Reads the ClientHello, then closes cleanly (FIN): EOF during the handshake.
        case closeAfterHello
        /// Reads the ClientHello, then aborts the connection (RST).
        case resetAfterHello
        /// Reads the ClientHello, then answers bytes that are not TLS and closes.
        case garbage
        /// Relays to 127.0.0.1:`port`, passing only the first `bytes` of the answer, then closes both sides.
        case relay(port: Int, cutAfter: Int)
    }

    let port: Int
    private let listener: Int32
    private let behaviour: Behaviour
    private let lock = NSLock()
    private var accepted = 0

    /// How many connections were taken so far.
    var connections: Int { lock.withLock { accepted } }

    init(_ behaviour: Behaviour) throws {
        self.behaviour = behaviour
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PeerError("socket() failed") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard ok else {
            close(fd)
            throw PeerError("bind/listen on 127.0.0.1 failed")
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Stops listening; connections in progress end on their own.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            lock.withLock { accepted += 1 }
            let behaviour = behaviour
            Thread { Self.serve(client, behaviour) }.start()
        }
    }

    private static func serve(_ client: Int32, _ behaviour: Behaviour) {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        switch behaviour {
        case .closeAfterHello:
            _ = read(client, &buffer, buffer.count)
            close(client)
        case .resetAfterHello:
            _ = read(client, &buffer, buffer.count)
            var abort = linger(l_onoff: 1, l_linger: 0)
            setsockopt(client, SOL_SOCKET, SO_LINGER, &abort, socklen_t(MemoryLayout<linger>.size))
            close(client)
        case .garbage:
            _ = read(client, &buffer, buffer.count)
            let junk = Array("\u{7}\u{0}garbage, not TLS at all \u{1}\u{2}\u{3}\r\n\r\n".utf8) + (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37) }
            _ = junk.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            shutdown(client, Int32(SHUT_WR))
            // Drain what the client still says, so the close is a FIN rather than a reset.
            while read(client, &buffer, buffer.count) > 0 {}
            close(client)
        case .relay(let port, let cutAfter):
            relay(client, to: port, cutAfter: cutAfter)
        }
    }

    private static func relay(_ client: Int32, to port: Int, cutAfter: Int) {
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard upstream >= 0, connected == 0 else {
            close(client)
            if upstream >= 0 { close(upstream) }
            return
        }
        // Client to hub, whole; both sockets are closed only once this side has stopped reading.
        let done = DispatchSemaphore(value: 0)
        Thread {
            defer { done.signal() }
            var buffer = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                let n = read(client, &buffer, buffer.count)
                guard n > 0 else { break }
                guard buffer.withUnsafeBytes({ write(upstream, $0.baseAddress, n) }) == n else { break }
            }
            shutdown(upstream, Int32(SHUT_WR))
        }.start()
        // Hub to client, cut.
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var left = cutAfter
        while left > 0 {
            let n = read(upstream, &buffer, min(buffer.count, left))
            guard n > 0 else { break }
            guard buffer.withUnsafeBytes({ write(client, $0.baseAddress, n) }) == n else { break }
            left -= n
        }
        shutdown(client, Int32(SHUT_RDWR))
        shutdown(upstream, Int32(SHUT_RDWR))
        done.wait()
        close(client)
        close(upstream)
    }
}

struct PeerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
