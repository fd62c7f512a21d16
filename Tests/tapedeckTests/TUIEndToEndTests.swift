import Foundation
import Glibc
import XCTest

/// End-to-end tests of `tapedeck FILE`, the full-screen debugger, driven in a detached tmux session:
/// keys go in with `send-keys`, the screen comes back with `capture-pane`, and the shell wrapper
/// prints the exit status. Headless golden screens cover the layout; these check the real terminal
/// path: startup, keys, the error banner, resize, the ASCII fallback and every way out.
final class TUIEndToEndTests: XCTestCase {
    static let binary = Binary.url.path
    static let cases = Binary.casesDirectory.path
    static let samples = Binary.root.appendingPathComponent("samples").path

    override func setUp() async throws {
        try XCTSkipIf(TmuxSession.run(["tmux", "-V"]).status != 0, "tmux is not installed")
    }

    func testStepsToTheFailingNodeAndShowsTheCulpritThenQuitsCleanly() throws {
        let tmux = try TmuxSession(command: "\(Self.binary) \(Self.cases)/saved_input_mul.py")
        defer { tmux.close() }
        try tmux.waitFor("op 1/5 · line 3 · forward")
        XCTAssertTrue(tmux.screen().contains("┌─[Tape"))
        tmux.send("n")
        try tmux.waitFor("op 2/5 · line 4 · forward")
        tmux.send("e")
        try tmux.waitFor("✗ RuntimeError: one of the variables needed for gradient computation")
        let screen = tmux.screen()
        XCTAssertTrue(screen.contains("✗ 8 a += 1"), screen)
        XCTAssertTrue(screen.contains("✗ MulBackward0 #"), screen)
        XCTAssertTrue(screen.contains("node 2/2 · line 10 · backward #0"), screen)
        tmux.send("q")
        XCTAssertEqual(try tmux.exitStatus(), 1, "q exits with the verdict: autograd errors")
        XCTAssertFalse(tmux.screen().contains("┌─"), "the alternate screen is left on quit")
        XCTAssertEqual(try tmux.terminalModes(), "icanon echo", "the terminal is back in cooked mode with echo")
    }

    func testSeedExample1ShowsTheLeafInPlaceErrorAtItsLine() throws {
        let tmux = try TmuxSession(command: "\(Self.binary) \(Self.samples)/seed_example1.py")
        defer { tmux.close() }
        try tmux.waitFor("forward")
        tmux.send("e")
        try tmux.waitFor("a leaf Variable that requires grad is being used in an in-place operation.")
        XCTAssertTrue(tmux.screen().contains("✗ 9 x += 1"), tmux.screen())
        tmux.send("q")
        XCTAssertEqual(try tmux.exitStatus(), 1, "q exits with the verdict: autograd errors")
        XCTAssertEqual(try tmux.terminalModes(), "icanon echo")
    }

    /// The same failure opened from a recorded trace: stepping, backward replay with `b`, `e`, and
    /// the culprit's line drawn with an attribute (not only its `✗` marker).
    func testARecordedTraceReplaysBackwardAndHighlightsTheCulprit() throws {
        let trace = try temporaryDirectory().appendingPathComponent("saved_input_mul.tdt").path
        let record = try Binary.run(["record", "saved_input_mul.py", "-o", trace], in: Binary.casesDirectory)
        XCTAssertEqual(record.status, 1, record.stderr)
        let tmux = try TmuxSession(command: "\(Self.binary) \(trace)")
        defer { tmux.close() }
        try tmux.waitFor("op 1/5 · line 3 · forward")
        tmux.send("n", "n")
        try tmux.waitFor("op 3/5 · line 5 · forward")
        tmux.send("b")
        try tmux.waitFor("backward #0")
        tmux.send("e")
        try tmux.waitFor("✗ RuntimeError: one of the variables needed for gradient computation")
        XCTAssertTrue(tmux.screen().contains("✗ 8 a += 1"), tmux.screen())
        let culpritRow = tmux.styledScreen().split(separator: "\n").map(String.init).first { Self.plain($0).contains("✗ 8 a += 1") } ?? ""
        let attributes = Set(culpritRow.matches(of: /\u{1B}\[([0-9;]*)m/).flatMap { $0.1.split(separator: ";").map(String.init) })
        XCTAssertTrue(attributes.contains("1"), "the culprit line is drawn bold: \(culpritRow.debugDescription)")
        XCTAssertFalse(attributes.isDisjoint(with: ["7", "41"]), "the culprit line is drawn reversed or on red: \(culpritRow.debugDescription)")
        tmux.send("q")
        XCTAssertEqual(try tmux.exitStatus(), 1, "q exits with the verdict: autograd errors")
        XCTAssertEqual(try tmux.terminalModes(), "icanon echo")
    }

    /// `tapedeck train.py ARGS` on a program outside the subset (argparse, an `nn.Module` whose
    /// residual `+=` writes sigmoid's saved output): recorded with real PyTorch, opened in the
    /// debugger, `e` shows the failing node and the culprit, searching for the write shows its
    /// line highlighted, and on quit the terminal is back with the line saying which engine ran and why.
    func testAProgramOutsideTheSubsetIsRecordedByPyTorchAndDebugged() throws {
        try requireTorch()
        let directory = try temporaryDirectory()
        let program = directory.appendingPathComponent("train.py")
        try """
            import argparse
            import torch
            import torch.nn as nn


            class Block(nn.Module):
                def __init__(self, width):
                    super().__init__()
                    self.fc = nn.Linear(width, width)

                def forward(self, x):
                    h = torch.sigmoid(self.fc(x))
                    h += x
                    return h


            parser = argparse.ArgumentParser()
            parser.add_argument("--epochs", type=int, default=1)
            args = parser.parse_args()
            model = nn.Sequential(nn.Linear(4, 8), Block(8), nn.Linear(8, 3))
            for epoch in range(args.epochs):
                loss = model(torch.randn(16, 4)).sum()
                loss.backward()

            """.write(to: program, atomically: true, encoding: .utf8)
        let tmux = try TmuxSession(command: "\(Self.binary) \(program.path) --epochs 2")
        defer { tmux.close() }
        try tmux.waitFor("· forward", seconds: 120)
        XCTAssertTrue(tmux.screen().contains("engine: torch, because"), "the engine line is on the first screen too: \(tmux.screen())")
        tmux.send("e")
        try tmux.waitFor("✗ RuntimeError: one of the variables needed for gradient computation")
        var screen = tmux.screen()
        XCTAssertTrue(screen.contains("✗ SigmoidBackward0"), screen)
        XCTAssertTrue(screen.contains("+= at line 13 ✗ culprit"), screen)
        tmux.send("/", "a", "d", "d", "_", "Enter")
        try tmux.waitFor("for add_")
        screen = tmux.screen()
        XCTAssertTrue(screen.contains("✗13         h += x"), screen)
        let culpritRow = tmux.styledScreen().split(separator: "\n").map(String.init).first { Self.plain($0).contains("✗13") } ?? ""
        let attributes = Set(culpritRow.matches(of: /\u{1B}\[([0-9;]*)m/).flatMap { $0.1.split(separator: ";").map(String.init) })
        XCTAssertTrue(attributes.contains("1"), "the culprit line is drawn bold: \(culpritRow.debugDescription)")
        XCTAssertFalse(attributes.isDisjoint(with: ["7", "41"]), "the culprit line is drawn reversed or on red: \(culpritRow.debugDescription)")
        tmux.send("q")
        XCTAssertEqual(try tmux.exitStatus(), 1, "q exits with the verdict: autograd errors")
        XCTAssertEqual(tmux.paneModes(), Self.givenBack)
        XCTAssertEqual(try tmux.terminalModes(), "icanon echo")
        XCTAssertTrue(tmux.screen().contains("tapedeck: engine: torch, because"), tmux.screen())
    }

    func testHelpSearchAndGoTo() throws {
        let tmux = try TmuxSession(command: "\(Self.binary) \(Self.cases)/saved_input_mul.py")
        defer { tmux.close() }
        try tmux.waitFor("op 1/5")
        tmux.send("?")
        try tmux.waitFor("replay backward one node at a time")
        tmux.send("Escape")
        tmux.send(":", "7", "Enter")
        try tmux.waitFor("step 7/9")
        tmux.send("/", "a", "d", "d", "_", "Enter")
        try tmux.waitFor("match 1/1 for add_")
        XCTAssertTrue(tmux.screen().contains("op 5/5 · line 8 · forward"))
        tmux.send("q")
        XCTAssertEqual(try tmux.exitStatus(), 1, "q exits with the verdict: autograd errors")
    }

    func testCtrlCAndSIGTERMRestoreTheTerminal() throws {
        let interrupted = try TmuxSession(command: "\(Self.binary) \(Self.cases)/seed_example1.py")
        defer { interrupted.close() }
        try interrupted.waitFor("forward")
        interrupted.send("C-c")
        XCTAssertEqual(try interrupted.exitStatus(), 130)
        XCTAssertFalse(interrupted.screen().contains("┌─"))

        let terminated = try TmuxSession(command: "\(Self.binary) \(Self.cases)/seed_example1.py")
        defer { terminated.close() }
        try terminated.waitFor("forward")
        kill(try terminated.appPID(), SIGTERM)
        XCTAssertEqual(try terminated.exitStatus(), 143)
        XCTAssertFalse(terminated.screen().contains("┌─"))
    }

    /// A hang-up (the window closed, the ssh connection dropped) ends the debugger like SIGTERM:
    /// every mode it set is switched off again and it exits 128 + SIGHUP.
    func testSIGHUPRestoresTheTerminalAndExits129() throws {
        let tmux = try TmuxSession(command: "\(Self.binary) \(Self.cases)/seed_example1.py")
        defer { tmux.close() }
        try tmux.waitFor("forward")
        XCTAssertEqual(tmux.paneModes(), "alternate=1 cursor=0 keypad=1 cursorkeys=1 mouse=1", "the modes the debugger runs in")
        kill(try tmux.appPID(), SIGHUP)
        XCTAssertEqual(try tmux.exitStatus(), 129)
        XCTAssertEqual(tmux.paneModes(), Self.givenBack)
        XCTAssertEqual(try tmux.terminalModes(), "icanon echo")
        XCTAssertFalse(tmux.screen().contains("┌─"))
    }

    /// A failed Swift assertion (`precondition`, `fatalError`, a trap) raises SIGILL; the fatal-signal
    /// handler gives the terminal back before the process dies of it, and so it does for SIGABRT and
    /// SIGSEGV. The signal is sent from outside here: no input makes the debugger trap on purpose.
    func testAFatalSignalRestoresTheTerminalBeforeTheProcessDies() throws {
        for (signal, name) in [(SIGILL, "Illegal instruction"), (SIGABRT, "Aborted"), (SIGSEGV, "Segmentation fault")] {
            let tmux = try TmuxSession(command: "\(Self.binary) \(Self.cases)/seed_example1.py")
            defer { tmux.close() }
            try tmux.waitFor("forward")
            kill(try tmux.appPID(), signal)
            XCTAssertEqual(try tmux.exitStatus(), 128 + signal, name)
            XCTAssertTrue(tmux.screen().contains(name), "the shell reports the signal: \(tmux.screen())")
            XCTAssertEqual(tmux.paneModes(), Self.givenBack, name)
            XCTAssertEqual(try tmux.terminalModes(), "icanon echo", name)
        }
    }

    /// The pane's modes once the terminal is given back: main screen, cursor shown, normal cursor
    /// keys and keypad, no mouse reporting.
    static let givenBack = "alternate=0 cursor=1 keypad=0 cursorkeys=0 mouse=0"

    func testASCIIWhenTheLocaleIsNotUTF8AndAMessageBelowTheMinimumSize() throws {
        let tmux = try TmuxSession(command: "\(Self.binary) \(Self.cases)/seed_example1.py", locale: "C")
        defer { tmux.close() }
        try tmux.waitFor("+-[Tape")
        tmux.resize(width: 50, height: 12)
        try tmux.waitFor("tapedeck needs at least 60x16")
        tmux.resize(width: 100, height: 30)
        try tmux.waitFor("+-[Tape")
        tmux.send("q")
        XCTAssertEqual(try tmux.exitStatus(), 1, "q exits with the verdict: autograd errors")
    }

    /// A captured row without its SGR escape sequences.
    static func plain(_ row: String) -> String {
        row.replacing(/\u{1B}\[[0-9;]*m/, with: "")
    }
}

