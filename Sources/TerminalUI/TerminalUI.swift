// The TerminalUI module; see Package.swift.
