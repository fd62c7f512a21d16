import torch


class SplitTwo(torch.autograd.Function):
    """Two outputs; saves its input."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * 2, x * 3

    @staticmethod
    def backward(ctx, ga, gb):
        (x,) = ctx.saved_tensors
        return 2 * ga + 3 * gb


class ScaleInPlace(torch.autograd.Function):
    """Writes its input in place (mark_dirty); a non-tensor argument."""

    @staticmethod
    def forward(ctx, x, scale):
        ctx.scale = scale
        x.mul_(scale)
        ctx.mark_dirty(x)
        return x

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.scale, None


class Exp(torch.autograd.Function):
    """Saves its own output."""

    @staticmethod
    def forward(ctx, x):
        y = x.exp()
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * y


w = torch.tensor([0.5, 1.0], requires_grad=True)
a, b = SplitTwo.apply(w)
c = ScaleInPlace.apply(a * 1, 2.0)
e = Exp.apply(c + b)
print(round(e.sum().item(), 2))
e.add_(1)
(e * 2).sum().backward()
