@testable import PythonLexer
@testable import Script

/// libFuzzer target: any bytes through python3's source decoding (`SourceDecoding`), then, decoded
/// as Python source, through the lexer and the parser. Every input must end in a program or a
/// `SyntaxError`; a trap, an overflow of the stack or an address-sanitizer report is a finding.
/// Built and run by scripts/fuzz.sh.
@_cdecl("LLVMFuzzerTestOneInput")
public func parserFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    _ = SourceDecoding.decode(Array(bytes), path: "fuzz.py")
    let source = String(decoding: bytes, as: UTF8.self)
    _ = try? Lexer.tokenizeProgram(source)
    _ = try? Parser.parse(source)
    return 0
}
