import Debugger
import Tape

/// libFuzzer target: any bytes as a trace file through the trace reader, and a tape it accepts
/// through the debugger's index, replay and `explain` report. Every input must end in a report,
/// a `TraceError` or a `DebuggerError`; a trap or an address-sanitizer report is a finding.
/// Built and run by scripts/fuzz.sh.
@_cdecl("LLVMFuzzerTestOneInput")
public func traceReaderFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let tape = try? TraceReader.load(UnsafeBufferPointer(start: data, count: size), file: "fuzz.tdt") else { return 0 }
    _ = try? Debugger(tape: tape).explain().text()
    return 0
}
