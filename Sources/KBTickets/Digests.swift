import Crypto

/// SHA-256 and HMAC-SHA256 through swift-crypto: customer pseudonyms are HMAC(salt, e-mail
/// or id), so "same customer" works and the raw key is never stored; a ticket's content
/// fingerprint is the SHA-256 of its fields.
enum Digests {
    /// The pseudonym stored for a customer key: the first 32 hex digits (128 bits) of
    /// HMAC-SHA256(salt, key lower-cased without surrounding spaces and tabs).
    static func pseudonym(salt: [UInt8], key: String) -> String {
        String(hex(hmacSHA256(key: salt, message: Array(key.lowercased().trimmingSpaces.utf8))).prefix(32))
    }

    /// HMAC-SHA256 (RFC 2104) of `message` under `key`.
    static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    /// SHA-256 of the UTF-8 bytes of `text`, in lower-case hexadecimal.
    static func sha256Hex(_ text: String) -> String {
        hex(SHA256.hash(data: Array(text.utf8)))
    }

    /// Lower-case hexadecimal, two digits a byte (a table lookup: `String(format:)` per byte
    /// was a tenth of an import's time).
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
