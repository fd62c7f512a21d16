#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a tape as a JSON Lines trace (docs/trace-format.md): the header line, then one line
/// per event, written straight from the tape's compact storage.
///
/// Strings are escaped (`"`, `\`, and every control character); integers are written as
/// integers; doubles in their shortest round-trip form (integral values without a fraction),
/// with `"nan"`, `"inf"` and `"-inf"` for non-finite values.
public enum TraceWriter {
    /// The trace text of `tape`, UTF-8. The header line says `header.writtenVersion`: 1.0, or 1.1
    /// when it carries `dropped`.
    public static func encode(_ tape: Tape) -> [UInt8] {
        var out = JSONOutput()
        out.bytes.reserveCapacity(tape.store.bytes.count * 4 + tape.header.source.utf8.count + 256)
        let header = tape.header
        out.raw("{\"format\":")
        out.string(TraceHeader.formatName)
        out.raw(",\"version\":")
        out.string(header.writtenVersion.description)
        out.raw(",\"producer\":")
        out.string(header.producer)
        out.raw(",\"path\":")
        out.string(header.path)
        out.raw(",\"source\":")
        out.string(header.source)
        if let dropped = header.dropped {
            out.raw(",\"dropped\":{\"steps\":")
            out.int(dropped.steps)
            out.raw(",\"events\":")
            out.int(dropped.events)
            out.raw(",\"errors\":")
            out.int(dropped.errors)
            out.raw(",\"versions\":")
            out.pairs(dropped.versions.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            out.raw("}")
        }
        out.raw("}\n")

        let store = tape.store
        let keys = TraceField.allCases.map { Array(",\"\($0.key)\":".utf8) }
        let kinds = Event.Kind.allCases.map { Array("{\"k\":\"\($0.traceName)\"".utf8) }
        var escaped = [[UInt8]?](repeating: nil, count: store.strings.count)
        let schema = TraceSchema.shared
        store.bytes.withUnsafeBufferPointer { buffer in
            for index in 0..<store.count {
                let range = store.fieldRange(of: index)
                let kind = store.kind(at: index)
                out.bytes.append(contentsOf: kinds[Int(kind.rawValue)])
                var c = EventCursor(base: buffer.baseAddress!, position: range.lowerBound, end: range.upperBound)
                while let field = c.field() {
                    out.bytes.append(contentsOf: keys[Int(field.rawValue)])
                    switch schema.type(of: field, in: kind)! {
                    case .int: out.int(c.int())
                    case .uint64: out.uint(c.sequenceNr())
                    case .bool: out.raw(c.bool() ? "true" : "false")
                    case .string:
                        let id = c.stringID()
                        if escaped[id] == nil {
                            var one = JSONOutput()
                            one.string(store.strings[id])
                            escaped[id] = one.bytes
                        }
                        out.bytes.append(contentsOf: escaped[id]!)
                    case .ints: out.ints(c.ints())
                    case .pairs: out.pairs(c.pairs())
                    case .edges:
                        out.list(c.edges()) { out, edge in
                            if let edge { out.pairs([(edge.node, edge.inputNr)], bare: true) } else { out.raw("null") }
                        }
                    case .doubles: out.doubles(c.doubles())
                    case .grads:
                        out.list(c.grads()) { out, grad in
                            guard let grad else { return out.raw("null") }
                            out.raw("{\"t\":")
                            out.int(grad.tensor)
                            out.raw(",\"shape\":")
                            out.ints(grad.shape)
                            out.raw(",\"val\":")
                            out.doubles(grad.values)
                            out.raw("}")
                        }
                    }
                }
                out.raw("}\n")
            }
        }
        return out.bytes
    }

    /// The file `write(_:toFile:)` writes before renaming it to `path`.
    public static func temporaryPath(of path: String) -> String { path + ".tmp" }

    /// Writes the trace of `tape` to `path`, through a temporary file `path.tmp` flushed to disk
    /// (`fsync`) and then renamed into place, so neither a reader nor a crash of the machine ever
    /// leaves half a trace under the final name.
    public static func write(_ tape: Tape, toFile path: String) throws(TraceError) {
        let bytes = encode(tape)
        let temporary = temporaryPath(of: path)
        func failure(_ action: String) -> TraceError {
            .io(file: path, reason: "cannot \(action): \(String(cString: strerror(errno)))")
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw failure("create \(temporary)") }
        var written = 0
        let ok = bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let result = systemWrite(fd, raw.baseAddress! + written, raw.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                written += result
            }
            return true
        }
        guard ok else {
            let error = failure("write")
            close(fd)
            unlink(temporary)
            throw error
        }
        guard fsync(fd) == 0 else {
            let error = failure("flush \(temporary) to disk")
            close(fd)
            unlink(temporary)
            throw error
        }
        guard close(fd) == 0 else {
            let error = failure("write")
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = failure("replace")
            unlink(temporary)
            throw error
        }
    }
}

/// `write(2)`, named apart from `TraceWriter.write(_:toFile:)`.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
