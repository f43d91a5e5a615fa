import Crypto
import Foundation

/// A signed-in editor (or, on loopback without a users file, the local user).
public struct Session: Sendable, Equatable {
    public var user: String
    public var expires: Date
    /// Random per sign-in; the CSRF token is derived from it.
    public var nonce: String
}

/// Sessions live in the cookie itself, signed with HMAC-SHA256 (swift-crypto) under a key made
/// at start-up: nothing is stored on the server, a forged or altered cookie is ignored, and
/// restarting the app signs everyone out. Cookies are `HttpOnly` and `SameSite=Strict`.
public struct SessionSigner: Sendable {
    public static let cookieName = "kb_session"
    let key: SymmetricKey

    public init(key: SymmetricKey = SymmetricKey(size: .bits256)) { self.key = key }

    public func newSession(user: String, lifetime: TimeInterval, now: Date = Date()) -> Session {
        var bytes = [UInt8](repeating: 0, count: 16)
        var rng = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &rng) }
        return Session(user: user, expires: now.addingTimeInterval(lifetime), nonce: Self.hex(bytes))
    }

    /// `base64url(user \n expiry \n nonce) . hex(HMAC)`.
    public func cookieValue(_ s: Session) -> String {
        let payload = Self.base64URL(Data("\(s.user)\n\(Int(s.expires.timeIntervalSince1970))\n\(s.nonce)".utf8))
        return payload + "." + mac(payload)
    }

    /// The session a cookie carries, when its signature is ours and it has not expired.
    public func session(from value: String, now: Date = Date()) -> Session? {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let tag = Self.unhex(String(parts[1])),
            HMAC<SHA256>.isValidAuthenticationCode(tag, authenticating: Data(parts[0].utf8), using: key),
            let data = Self.unbase64URL(String(parts[0]))
        else { return nil }
        let fields = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard fields.count == 3, let seconds = Int(fields[1]) else { return nil }
        let expires = Date(timeIntervalSince1970: TimeInterval(seconds))
        guard expires > now else { return nil }
        return Session(user: String(fields[0]), expires: expires, nonce: String(fields[2]))
    }

    /// The CSRF token of a session: forms carry it in `_csrf`, API calls in `X-CSRF-Token`.
    public func csrfToken(_ s: Session) -> String { mac("csrf\n" + s.nonce) }

    /// Whether `token` is the session's CSRF token (compared in constant time).
    public func checkCSRF(_ token: String?, _ s: Session?) -> Bool {
        guard let token, let s, let tag = Self.unhex(token) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(tag, authenticating: Data(("csrf\n" + s.nonce).utf8), using: key)
    }

    private func mac(_ text: String) -> String {
        Self.hex(Array(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key)))
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](); out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    static func unhex(_ text: String) -> Data? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0, !chars.isEmpty else { return nil }
        var out = Data(capacity: chars.count / 2)
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            default: nil
            }
        }
        for i in stride(from: 0, to: chars.count, by: 2) {
            guard let a = value(chars[i]), let b = value(chars[i + 1]) else { return nil }
            out.append(a << 4 | b)
        }
        return out
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func unbase64URL(_ text: String) -> Data? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s)
    }
}
