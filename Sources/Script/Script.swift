// The Script module; see Package.swift.
