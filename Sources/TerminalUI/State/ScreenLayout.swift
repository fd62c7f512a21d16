/// Where each part of the screen goes at a given size: three bands of two panes, an optional
/// banner, and the status line. The focused pane fills the main area when zoomed.
public struct ScreenLayout: Sendable {
    /// The smallest screen the panes fit on; below it a message replaces the layout.
    public static let minimumWidth = 60
    public static let minimumHeight = 16

    public var panes: [Pane: Rect] = [:]
    public var banner: Rect?
    public var status: Rect
    public var isTooSmall: Bool

    public init(state: DebuggerState, width: Int, height: Int) {
        let screen = Rect(x: 0, y: 0, width: width, height: height)
        isTooSmall = width < ScreenLayout.minimumWidth || height < ScreenLayout.minimumHeight
        let (rest, status) = screen.splitBottom(1)
        self.status = status
        guard !isTooSmall else { return }
        var main = rest
        if let failure = state.failureHere {
            let height = Banner(text: Sanitizer.line(failure.headline), glyphs: state.glyphs).height(width: width, limit: 3)
            let (above, banner) = rest.splitBottom(height)
            self.banner = banner
            main = above
        }
        if state.zoomed {
            panes[state.focus] = main
            return
        }
        let bottomShare = (100 - state.topPercent) * 55 / 100
        let bands = main.rows([state.topPercent, 100 - state.topPercent - bottomShare, bottomShare])
        let pairs: [(Pane, Pane)] = [(.source, .tape), (.tensors, .graph), (.saved, .console)]
        for (band, pair) in zip(bands, pairs) {
            let columns = band.columns([state.leftPercent, 100 - state.leftPercent])
            panes[pair.0] = columns[0]
            panes[pair.1] = columns[1]
        }
    }
}
