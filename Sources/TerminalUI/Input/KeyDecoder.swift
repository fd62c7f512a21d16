import CTerminal

/// Turns what `wget_wch` returned into a `Key`: pure, so the table is tested without a terminal.
public enum KeyDecoder {
    /// Decodes a `wget_wch` result: `status` is `KEY_CODE_YES` for a function key and `OK` for a
    /// character; `code` is the key code or the character. Returns nil for keys the UI ignores.
    public static func decode(status: Int32, code: UInt32) -> Key? {
        if status == KEY_CODE_YES {
            return functionKey(Int32(bitPattern: code))
        }
        guard status == OK else { return nil }
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26:
            return Unicode.Scalar(code + 96).map { .control(Character($0)) }
        case 0..<32:
            return nil
        default:
            return Unicode.Scalar(code).map { .character(Character($0)) }
        }
    }

    private static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_ENTER: .enter
        case KEY_BTAB: .backTab
        case KEY_BACKSPACE: .backspace
        case KEY_RESIZE: .resize
        default: nil
        }
    }
}
