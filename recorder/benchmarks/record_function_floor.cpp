// The least a recorder built on PyTorch's C++ RecordFunction observers would do per op: keep the
// op's name, sequence number, each tensor input's TensorImpl and version, and its outputs, in memory.
// launch_bound.py --cpp-observer compiles it (torch.utils.cpp_extension.load_inline) to measure
// that floor against plain PyTorch and a Python TorchDispatchMode; it is not part of the recorder.
#include <torch/extension.h>
#include <ATen/record_function.h>

#include "op_record.h"

#include <vector>

namespace {

std::vector<OpRecord> records;
at::CallbackHandle handle = 0;

std::unique_ptr<at::ObserverContext> on_start(const at::RecordFunction& fn) {
  records.push_back(record_of(fn));
  return nullptr;
}

void on_end(const at::RecordFunction& fn, at::ObserverContext*) {
  if (records.empty()) {
    return;
  }
  auto& record = records.back();
  for (const auto& value : fn.outputs()) {
    if (value.isTensor()) {
      record.outputs.push_back(value.toTensor().unsafeGetTensorImpl());
    }
  }
}

}  // namespace

void start() {
  records.reserve(1 << 16);
  handle = at::addGlobalCallback(at::RecordFunctionCallback(on_start, on_end)
                                     .needsInputs(true)
                                     .needsOutputs(true)
                                     .scopes({at::RecordScope::FUNCTION, at::RecordScope::BACKWARD_FUNCTION}));
}

int64_t stop() {
  at::removeCallback(handle);
  const auto seen = static_cast<int64_t>(records.size());
  records.clear();
  return seen;
}
