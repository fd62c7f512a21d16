import Synchronization

/// The graphemes of more than 16 UTF-8 bytes that cells have held (family and flag emoji, long
/// runs of combining marks), each numbered once for the life of the process, so that a `Cell`
/// stays plain data and two cells holding the same one compare equal by number.
///
/// At most `capacity` are kept, so the table cannot grow with hostile input: once it is full, a
/// cell holds a new long grapheme's first scalar instead (`Cell.init`).
struct LongGraphemes {
    let capacity: Int
    private var texts: [String] = []
    private var numbers: [String: UInt64] = [:]

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The number of `text`, numbered now if it is new; nil when the table is full without it.
    mutating func number(of text: String) -> UInt64? {
        if let number = numbers[text] { return number }
        guard texts.count < capacity else { return nil }
        let number = UInt64(texts.count)
        texts.append(text)
        numbers[text] = number
        return number
    }

    /// The text numbered `number`.
    func text(of number: UInt64) -> String {
        texts[Int(number)]
    }

    /// The process's table, which cells use.
    static let shared = Mutex(LongGraphemes(capacity: 4096))
}
