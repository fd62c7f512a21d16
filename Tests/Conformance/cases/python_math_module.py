import math
import torch

print(math.pi, math.e, math.sqrt(2), math.exp(1), math.log(10), math.log(8, 2), math.floor(-2.5), math.ceil(2.1))
print(math.isnan(float("nan")), math.isclose(0.1 + 0.2, 0.3), math.inf > 1e308, math.pow(2, 10), math.fabs(-3))
print(math.sqrt(torch.tensor(16.0)), math.cos(0), math.tanh(0.5))
try:
    math.sqrt(-1)
except ValueError as e:
    print("ValueError:", e)
