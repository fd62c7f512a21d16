import CTerminal
import Foundation
import Testing
@testable import TerminalUI

@Suite struct KeyDecoderTests {
    @Test(arguments: [
        (OK, UInt32(110), Key.character("n")), (OK, 10, .enter), (OK, 13, .enter), (OK, 9, .tab), (OK, 27, .escape),
        (OK, 127, .backspace), (OK, 4, .control("d")), (OK, 0x2192, .character("→")),
        (KEY_CODE_YES, UInt32(KEY_UP), .up), (KEY_CODE_YES, UInt32(KEY_DOWN), .down), (KEY_CODE_YES, UInt32(KEY_BTAB), .backTab),
        (KEY_CODE_YES, UInt32(KEY_NPAGE), .pageDown), (KEY_CODE_YES, UInt32(KEY_RESIZE), .resize), (KEY_CODE_YES, UInt32(KEY_ENTER), .enter),
    ])
    func decodesWhatWgetWchReturns(status: Int32, code: UInt32, key: Key) {
        #expect(KeyDecoder.decode(status: status, code: code) == key)
    }

    @Test func timeoutsAndUnknownKeysDecodeToNothing() {
        #expect(KeyDecoder.decode(status: ERR, code: 0) == nil)
        #expect(KeyDecoder.decode(status: KEY_CODE_YES, code: UInt32(KEY_F0 + 5)) == nil)
        #expect(KeyDecoder.decode(status: OK, code: 0) == nil)
    }
}

@Suite struct KeyMapTests {
    let keyMap = KeyMap.standard

    @Test func theIssuesBindingsAreExactlyThese() {
        let expected: [(Key, Action)] = [
            (.character("n"), .nextStep), (.character("j"), .down), (.down, .down),
            (.character("p"), .previousStep), (.character("k"), .up), (.up, .up),
            (.character("N"), .nextLine), (.character("P"), .previousLine),
            (.character("g"), .firstStep), (.character("G"), .lastStep), (.character("b"), .backwardNode),
            (.character("e"), .nextError), (.enter, .inspect), (.character("/"), .startSearch),
            (.character("."), .nextMatch), (.character(","), .previousMatch), (.character(":"), .startGoTo),
            (.character("?"), .help), (.character("q"), .quit), (.tab, .focusNext), (.backTab, .focusPrevious),
        ]
        for (key, action) in expected {
            #expect(keyMap.action(for: key) == action, "\(key.label)")
        }
    }

    @Test func noKeyIsBoundTwiceAndEveryActionHasADescribedKey() {
        let keys = keyMap.bindings.flatMap(\.keys)
        #expect(Set(keys).count == keys.count)
        #expect(Set(keyMap.bindings.map(\.action)) == Set(Action.allCases))
        #expect(keyMap.bindings.allSatisfy { !$0.help.isEmpty && !$0.keys.isEmpty })
    }

    @Test func helpAndHintAreGeneratedFromTheBindings() {
        #expect(keyMap.helpLines.count == keyMap.bindings.count + 1)
        #expect(keyMap.helpLines.contains { $0.text.hasPrefix("j ↓") && $0.text.contains("next step") })
        #expect(keyMap.hints.prefix(4) == ["n/p step", "N/P line", "b backward", "e error"])
        #expect(keyMap.hints.suffix(2) == ["? help", "q quit"])
    }

    @Test func docsListEveryKey() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/tui.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        for key in keyMap.bindings.flatMap(\.keys) {
            #expect(text.contains("`\(key.label)`"), "docs/tui.md does not list \(key.label)")
        }
    }
}
