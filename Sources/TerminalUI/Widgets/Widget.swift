/// Something that draws itself into a rectangle of a buffer and touches nothing else.
public protocol Widget {
    func render(into buffer: inout Buffer, area: Rect)
}
