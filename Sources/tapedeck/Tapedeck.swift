import ArgumentParser

@main
struct Tapedeck: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "A debugger for PyTorch autograd errors.")
}
