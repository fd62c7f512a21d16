/// `tapedeck explain [--json] TARGET [ARGS...]` recognised without ArgumentParser, for the common
/// case where no other option is given.
///
/// ArgumentParser builds its command tree by reflection and dynamic casts (protocol-conformance
/// scans of the whole binary): about 80 % of the instructions of `explain` on a small trace. A
/// script or CI job that explains many small traces pays that on every start, so plain command
/// lines take this path; anything else (another option, `-h`, `--`, `help`, an empty argument)
/// goes to ArgumentParser, which gives the same result for the lines accepted here.
struct ExplainShortcut {
    /// The program or trace files, in order, as `LaunchOptions` would collect them.
    var targets: [String]
    var json: Bool

    /// The shortcut for `arguments` (without the executable's name), or nil when ArgumentParser
    /// must parse them.
    init?(_ arguments: ArraySlice<String>) {
        guard arguments.first == "explain" else { return nil }
        var targets: [String] = []
        var json = false
        for argument in arguments.dropFirst() {
            if argument == "--json", !json {
                json = true
            } else if argument.isEmpty || argument.hasPrefix("-") || argument == "help" {
                return nil
            } else {
                targets.append(argument)
            }
        }
        guard !targets.isEmpty else { return nil }
        self.targets = targets
        self.json = json
    }

    /// The launch ArgumentParser would have built: no forced engine, the standard budgets.
    var launch: Launch {
        Launch(targets: targets, engine: nil)
    }
}
