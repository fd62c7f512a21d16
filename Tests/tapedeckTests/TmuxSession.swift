import Foundation
import Glibc

/// A detached tmux server on its own socket, running one command in a 100x30 window.
///
/// Spawned with `posix_spawn` and every inherited descriptor above 2 closed: `Foundation.Process`
/// hangs on `tmux new-session`, whose daemon keeps Process's exit-notification socket open.
struct TmuxSession {
    let socket: String
    let pidFile: String

    init(command: String, locale: String = "C.UTF-8", width: Int = 100, height: Int = 30) throws {
        let unique = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        socket = NSTemporaryDirectory() + "tapedeck-e2e-\(unique).sock"
        pidFile = NSTemporaryDirectory() + "tapedeck-e2e-\(unique).pid"
        let wrapped = "sh -c 'echo $$ > \(pidFile); exec env LANG=\(locale) TERM=xterm-256color \(command)'; echo __EXIT__=$?; "
            + "stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo __STTY__; sleep 600"
        let result = TmuxSession.run(["tmux", "-S", socket, "-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)", wrapped])
        guard result.status == 0 else { throw TmuxError.failed(result.output) }
    }

    func send(_ keys: String...) {
        _ = TmuxSession.run(["tmux", "-S", socket, "send-keys"] + keys)
    }

    func resize(width: Int, height: Int) {
        _ = TmuxSession.run(["tmux", "-S", socket, "resize-window", "-x", "\(width)", "-y", "\(height)"])
    }

    /// The visible screen, trailing spaces trimmed by tmux.
    func screen() -> String {
        TmuxSession.run(["tmux", "-S", socket, "capture-pane", "-p"]).output
    }

    /// The visible screen with its attributes as SGR escape sequences (`capture-pane -e`).
    func styledScreen() -> String {
        TmuxSession.run(["tmux", "-S", socket, "capture-pane", "-p", "-e"]).output
    }

    /// The pane's modes as tmux tracks them from the escape sequences the app wrote, e.g.
    /// `alternate=0 cursor=1 keypad=0 cursorkeys=0 mouse=0` once a terminal is given back.
    func paneModes() -> String {
        TmuxSession.run(["tmux", "-S", socket, "display-message", "-p",
                         "alternate=#{alternate_on} cursor=#{cursor_flag} keypad=#{keypad_flag} cursorkeys=#{keypad_cursor_flag} mouse=#{mouse_any_flag}"])
            .output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The terminal modes the shell found after the app exited, e.g. `icanon echo` when sane.
    func terminalModes() throws -> String {
        try waitFor("__STTY__")
        let text = screen()
        guard let end = text.range(of: "__STTY__") else { return "" }
        let line = text[..<end.lowerBound].split(separator: "\n").last ?? ""
        return line.trimmingCharacters(in: .whitespaces)
    }

    /// Polls the screen until it contains `text` (`seconds` at most: 3 by default, longer for a
    /// program that real PyTorch records first).
    func waitFor(_ text: String, seconds: Int = 3) throws {
        for _ in 0..<(seconds * 100 / 3) {
            if screen().contains(text) {
                return
            }
            usleep(30_000)
        }
        throw TmuxError.timeout(text, screen())
    }

    /// The status the app exited with, as the wrapper shell printed it.
    func exitStatus() throws -> Int32 {
        try waitFor("__EXIT__=")
        let marker = screen().components(separatedBy: "__EXIT__=").last ?? ""
        return Int32(marker.prefix { $0.isNumber }) ?? -1
    }

    /// The app's process id (the wrapper `exec`s it).
    func appPID() throws -> pid_t {
        for _ in 0..<100 {
            if let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return pid
            }
            usleep(30_000)
        }
        throw TmuxError.failed("no pid file")
    }

    func close() {
        _ = TmuxSession.run(["tmux", "-S", socket, "kill-server"])
        unlink(socket)
        unlink(pidFile)
    }

    /// Runs `arguments` with stdin from /dev/null and stdout+stderr captured; returns status and output.
    static func run(_ arguments: [String]) -> (status: Int32, output: String) {
        var pipe: [Int32] = [0, 0]
        guard Glibc.pipe(&pipe) == 0 else { return (-1, "pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 2)
        for descriptor in 3..<256 where fcntl(Int32(descriptor), F_GETFD) != -1 {
            posix_spawn_file_actions_addclose(&actions, Int32(descriptor))
        }
        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
        Glibc.close(pipe[1])
        guard spawned == 0 else {
            Glibc.close(pipe[0])
            return (-1, "cannot run \(arguments[0])")
        }
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(pipe[0], &chunk, chunk.count)
            if count <= 0 { break }
            output += chunk[0..<count]
        }
        Glibc.close(pipe[0])
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let exited = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return (exited, String(decoding: output, as: UTF8.self))
    }
}

enum TmuxError: Error {
    case failed(String)
    case timeout(String, String)
}
