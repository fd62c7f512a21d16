@testable import Script

/// libFuzzer target: any bytes, decoded as Python source, run as a program under small step and
/// memory budgets. Every input must end in an exit status; a trap, a hang (libFuzzer's -timeout),
/// an allocation over libFuzzer's limit or an address-sanitizer report is a finding.
/// Built and run by scripts/fuzz.sh.
@_cdecl("LLVMFuzzerTestOneInput")
public func interpreterFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let limits = RunLimits(maxSteps: 20_000, maxMemory: 256 << 20)
    _ = ProgramRunner(path: "fuzz.py", source: source, limits: limits).run(stdout: { _ in }, stderr: { _ in })
    return 0
}
