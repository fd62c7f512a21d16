// The least a recorder built on PyTorch's C++ RecordFunction observers would do per op: keep the
// op's name, sequence number, each tensor input's TensorImpl and version, and its outputs, in memory.
// launch_bound.py --cpp-observer compiles it (torch.utils.cpp_extension.load_inline) to measure
// that floor against plain PyTorch and a Python TorchDispatchMode; it is not part of the recorder.
#include <torch/extension.h>
#include <ATen/record_function.h>

#include <vector>

namespace {

struct OpRecord {
  const char* name;
  int64_t sequence_nr;
  std::vector<std::pair<const void*, uint32_t>> inputs;
  std::vector<const void*> outputs;
};

std::vector<OpRecord> records;
at::CallbackHandle handle = 0;

uint32_t version_of(const at::Tensor& t) {
  auto* impl = t.unsafeGetTensorImpl();
  if (impl->is_inference() || !impl->version_counter().enabled()) {
    return 0;
  }
  return impl->version_counter().current_version();
}

std::unique_ptr<at::ObserverContext> on_start(const at::RecordFunction& fn) {
  OpRecord record{fn.name(), fn.seqNr(), {}, {}};
  for (const auto& value : fn.inputs()) {
    if (value.isTensor()) {
      const auto& t = value.toTensor();
      if (t.defined()) {
        record.inputs.emplace_back(t.unsafeGetTensorImpl(), version_of(t));
      }
    } else if (value.isTensorList()) {
      for (const at::Tensor& t : value.toTensorList()) {
        record.inputs.emplace_back(t.unsafeGetTensorImpl(), version_of(t));
      }
    }
  }
  records.push_back(std::move(record));
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
