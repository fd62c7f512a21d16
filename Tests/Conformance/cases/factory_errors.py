import torch

def attempt(label, make):
    try:
        result = make()
        print(label, "ok", tuple(result.shape))
    except Exception as e:
        print(label, type(e).__name__, e)

attempt("zeros(-1)", lambda: torch.zeros(-1))
attempt("zeros(2, -3)", lambda: torch.zeros(2, -3))
attempt("zeros((-1,))", lambda: torch.zeros((-1,)))
attempt("ones(-1)", lambda: torch.ones(-1))
attempt("randn(-2)", lambda: torch.randn(-2))
attempt("eye(-1)", lambda: torch.eye(-1))
attempt("eye(2, -1)", lambda: torch.eye(2, -1))
attempt("eye(0)", lambda: torch.eye(0))
attempt("zeros(0)", lambda: torch.zeros(0))
attempt("cat([])", lambda: torch.cat([]))
attempt("cat(())", lambda: torch.cat(()))
attempt("stack([])", lambda: torch.stack([]))
attempt("arange(5, 1)", lambda: torch.arange(5, 1))
attempt("arange(-1)", lambda: torch.arange(-1))
