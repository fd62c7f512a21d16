// The Autograd module; see Package.swift.
