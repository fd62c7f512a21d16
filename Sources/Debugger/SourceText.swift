import Tape

/// The traced program's source, split into lines, for quoting a call site and underlining it.
public struct SourceText: Hashable, Sendable {
    public let lines: [String]

    public init(_ source: String) {
        lines = source.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.last == "\r" ? String(line.dropLast()) : String(line)
        }
    }

    /// Line `number` (1-based) without its line break, nil when out of range.
    public func line(_ number: Int) -> String? {
        number >= 1 && number <= lines.count ? lines[number - 1] : nil
    }

    /// The characters `site` spans, or the whole line without indentation when it has no columns.
    public func text(at site: CallSite) -> String {
        guard site.file == nil, let line = line(site.line) else { return "" }
        let characters = Array(line)
        let (start, end) = span(of: site, in: characters)
        return String(characters[start..<end])
    }

    /// The caret line for `site`: spaces up to the span, then `^` and `~` under the rest of it.
    public func marker(at site: CallSite) -> String {
        guard site.file == nil, let line = line(site.line) else { return "^" }
        let characters = Array(line)
        let (start, end) = span(of: site, in: characters)
        let indent = characters[..<start].map { $0 == "\t" ? "\t" : " " }.joined()
        return indent + "^" + String(repeating: "~", count: max(0, end - start - 1))
    }

    /// The 0-based character range the site covers, clamped to the line; the trimmed line
    /// when the site has no columns.
    private func span(of site: CallSite, in characters: [Character]) -> (Int, Int) {
        let firstText = characters.firstIndex { $0 != " " && $0 != "\t" } ?? 0
        var lastText = characters.count
        while lastText > firstText, characters[lastText - 1] == " " || characters[lastText - 1] == "\t" { lastText -= 1 }
        guard site.column >= 1, site.column - 1 < characters.count else { return (firstText, lastText) }
        let start = site.column - 1
        let end = site.endColumn > site.column ? min(site.endColumn - 1, characters.count) : lastText
        return (start, max(start, end))
    }
}
