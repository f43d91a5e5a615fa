/// Text placed in HTML element content or a quoted attribute value: `& < > " '` as entities.
/// (Mustache's `{{…}}` does the same for templates; this is for HTML built in code, such as SVG.)
public enum HTMLEscape {
    public static func text(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}
