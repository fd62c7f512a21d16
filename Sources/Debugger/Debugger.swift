// The Debugger module; see Package.swift.
